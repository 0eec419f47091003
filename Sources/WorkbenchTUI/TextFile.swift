import Foundation

/// The UTF-8 text of the file at `path`, or an error naming it.
func readTextFile(_ path: String) -> Result<String, ConfigFileError> {
    guard let data = FileManager.default.contents(atPath: path) else {
        return .failure(ConfigFileError(file: path, line: 0, message: "cannot read the file"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
        return .failure(ConfigFileError(file: path, line: 0, message: "not UTF-8 text"))
    }
    return .success(text)
}
