/// The words of a simple shell command (`k6 run --vus 10 'my script.js'`), so chaosctl can
/// recognise a generator and add its output options. Only plain words and single or double
/// quotes without escapes are understood: a command with pipes, redirections, variables,
/// backslashes or several commands is left exactly as written (nil).
enum ShellWords {
    static func split(_ command: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        for c in command {
            if let q = quote {
                if c == q { quote = nil } else {
                    if q == "\"" && "$`\\".contains(c) { return nil }
                    word.append(c)
                }
                continue
            }
            switch c {
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            case "'", "\"":
                quote = c
                inWord = true
            case "|", "&", ";", "<", ">", "(", ")", "$", "`", "\\", "\n", "*", "?", "[", "#", "~", "{", "}":
                return nil
            default:
                word.append(c)
                inWord = true
            }
        }
        if quote != nil { return nil }
        if inWord { words.append(word) }
        return words.isEmpty ? nil : words
    }

    /// One command line `/bin/sh -c` reads back as exactly these words.
    static func join(_ words: [String]) -> String {
        words.map { word in
            let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
