// The VMBench kernels in C, for the VM/C ratio. Build: cc -O2 kernels.c -o kernels -lm; run: ./kernels REPS.
// Prints one line per kernel: name, nanoseconds per run, checksum (the same checksums the VM kernels produce).
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int32_t sort_data[1000];
static uint8_t sieve_data[100000];

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

// Bubble sort of 1000 DINTs that start in descending order; returns the first element plus the last.
static __attribute__((noinline)) int64_t bubble_sort(void) {
    const int n = 1000;
    for (int i = 0; i < n; i++) sort_data[i] = n - i;
    for (int i = 0; i < n - 1; i++) {
        for (int j = 0; j < n - 1 - i; j++) {
            int32_t a = sort_data[j], b = sort_data[j + 1];
            if (a > b) {
                sort_data[j] = b;
                sort_data[j + 1] = a;
            }
        }
    }
    return (int64_t)sort_data[0] + sort_data[n - 1];
}

// 100 000 iterations of acc += REAL_TO_DINT(x * y) with x stepping by 0.001 (rounding to nearest even).
static __attribute__((noinline)) int64_t real_math(volatile float *step, volatile float *factor) {
    float x = 0.0f, y = *factor, dx = *step;
    int32_t acc = 0;
    for (int32_t i = 0; i < 100000; i++) {
        acc += (int32_t)lrintf(x * y);
        x += dx;
    }
    return acc;
}

// Sieve of Eratosthenes on 100 000 Bools; returns the number of primes below 100 000 (9592).
static __attribute__((noinline)) int64_t sieve(void) {
    const int32_t n = 100000;
    for (int32_t i = 0; i < n; i++) sieve_data[i] = 0;
    for (int32_t i = 2; i * i < n; i++) {
        if (sieve_data[i]) continue;
        for (int32_t j = i * i; j < n; j += i) sieve_data[j] = 1;
    }
    int32_t count = 0;
    for (int32_t i = 2; i < n; i++) count += !sieve_data[i];
    return count;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 20;
    volatile float step = 0.001f, factor = 1.5f;
    const char *names[] = {"bubble_sort", "real_math", "sieve"};
    for (int k = 0; k < 3; k++) {
        int64_t check = 0;
        double best = 1e30;
        for (int r = 0; r < reps; r++) {
            double t0 = now_ns();
            check = k == 0 ? bubble_sort() : k == 1 ? real_math(&step, &factor) : sieve();
            double t = now_ns() - t0;
            if (t < best) best = t;
        }
        printf("%s %.0f %lld\n", names[k], best, (long long)check);
    }
    return 0;
}
