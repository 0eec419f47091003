// The ncursesw C API as Swift sees it. The macros and global variables that do not import (or are shared mutable
// state, which Swift 6 rejects) are wrapped in static inline functions named s7wb_*.
#ifndef S7WB_CNCURSES_SHIM_H
#define S7WB_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/panel.h>

static inline WINDOW *s7wb_stdscr(void) { return stdscr; }
static inline int s7wb_lines(void) { return LINES; }
static inline int s7wb_cols(void) { return COLS; }
static inline int s7wb_colors(void) { return COLORS; }
static inline int s7wb_color_pairs(void) { return COLOR_PAIRS; }

static inline int s7wb_key_f(int n) { return KEY_F(n); }

static inline attr_t s7wb_a_normal(void) { return A_NORMAL; }
static inline attr_t s7wb_a_bold(void) { return A_BOLD; }
static inline attr_t s7wb_a_reverse(void) { return A_REVERSE; }
static inline attr_t s7wb_a_underline(void) { return A_UNDERLINE; }
static inline attr_t s7wb_a_dim(void) { return A_DIM; }

static inline void s7wb_getmaxyx(WINDOW *window, int *rows, int *columns) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *columns = x;
}

static inline mmask_t s7wb_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t s7wb_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline mmask_t s7wb_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t s7wb_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t s7wb_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t s7wb_button2_pressed(void) { return BUTTON2_PRESSED; }
static inline mmask_t s7wb_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t s7wb_button3_clicked(void) { return BUTTON3_CLICKED; }
static inline mmask_t s7wb_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t s7wb_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t s7wb_button5_pressed(void) { return 0; }
#endif
static inline mmask_t s7wb_button_shift(void) { return BUTTON_SHIFT; }
static inline mmask_t s7wb_button_ctrl(void) { return BUTTON_CTRL; }
static inline mmask_t s7wb_button_alt(void) { return BUTTON_ALT; }

static inline attr_t s7wb_color_pair(short pair) { return COLOR_PAIR(pair); }

// setcchar for a single character; `text` is a NUL-terminated wide string of one base character (plus combining
// characters), as add_wch needs.
static inline int s7wb_setcchar(cchar_t *cell, const wchar_t *text, attr_t attributes, short pair) {
    return setcchar(cell, text, attributes, pair, NULL);
}

#endif
