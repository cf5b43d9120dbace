import ContentModel
import Diagnostics

/// Decodes `site.yml`.
public enum SiteSettingsDecoder {
    static let keys = ["title", "base_url", "language", "description", "organization", "disclaimer",
                       "review_interval_months", "reading_grade_max"]

    public static func decode(_ file: SourceFile) -> (SiteSettings?, [Diagnostic]) {
        var reader = YAMLReader(file: file, firstLine: 1)
        let top = file.location(line: 1, column: 1)
        guard let root = reader.compose(file.text) else {
            if reader.diagnostics.isEmpty {
                return (nil, [.error("key-missing", at: top, "site.yml is empty: 'title', 'base_url' and 'disclaimer' are required")])
            }
            return (nil, reader.diagnostics)
        }
        guard let pairs = reader.pairs(root, what: "site.yml") else { return (nil, reader.diagnostics) }
        var values: [String: String] = [:]
        var interval = 36
        var gradeMax = 8.0
        for (key, keyNode, value) in pairs {
            guard keys.contains(key) else {
                reader.unknownKey(key, keyNode, allowed: keys, elsewhere: [:])
                continue
            }
            switch key {
            case "review_interval_months":
                if case .scalar(let scalar) = value, let months = Int(scalar.string), months > 0 {
                    interval = months
                } else {
                    reader.error("value-type", value, "'review_interval_months' must be a whole number of months above 0, found \(YAMLReader.describe(value))")
                }
            case "reading_grade_max":
                if case .scalar(let scalar) = value, let grade = Double(scalar.string), grade > 0 {
                    gradeMax = grade
                } else {
                    reader.error("value-type", value, "'reading_grade_max' must be a number above 0, found \(YAMLReader.describe(value))")
                }
            case "base_url":
                if let url = reader.text(value, key: key) {
                    if url.value.hasPrefix("https://") || url.value.hasPrefix("http://") {
                        values[key] = url.value
                    } else {
                        reader.error("url-invalid", value, "'base_url' must be an absolute URL such as https://clinic.example/knee/")
                    }
                }
            default:
                if let text = reader.text(value, key: key) { values[key] = text.value }
            }
        }
        for required in ["title", "base_url", "disclaimer"] where !pairs.contains(where: { $0.key == required }) {
            reader.diagnostics.append(.error("key-missing", at: top, "site.yml is missing the required key '\(required)'"))
        }
        guard let title = values["title"], let baseURL = values["base_url"], let disclaimer = values["disclaimer"] else {
            return (nil, reader.diagnostics)
        }
        let settings = SiteSettings(
            title: title, baseURL: baseURL, language: values["language"] ?? "en", description: values["description"],
            organization: values["organization"], disclaimer: disclaimer, reviewIntervalMonths: interval, readingGradeMax: gradeMax
        )
        return (settings, reader.diagnostics)
    }
}
