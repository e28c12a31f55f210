import Foundation

/// Reads typed fields from a JSON object and collects every problem instead of stopping at the first.
struct FieldReader {
    let object: [String: JSONValue]
    private(set) var errors: [FieldError] = []

    init(_ object: [String: JSONValue]) { self.object = object }

    mutating func fail(_ field: String, _ reason: String) { errors.append(FieldError(field: field, reason: reason)) }

    /// A string field; `required` reports absence, `maxLength` counts characters.
    mutating func string(_ field: String, required: Bool = false, maxLength: Int = 255) -> String? {
        switch object[field] {
        case nil, .null?:
            if required { fail(field, "is required") }
            return nil
        case .string(let value)?:
            if value.count > maxLength {
                fail(field, "longer than \(maxLength) characters")
                return nil
            }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                fail(field, "contains control characters")
                return nil
            }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if required && trimmed.isEmpty {
                fail(field, "must not be empty")
                return nil
            }
            return trimmed.isEmpty ? nil : trimmed
        case let other?:
            fail(field, "must be a string, not \(other.typeName)")
            return nil
        }
    }

    /// A whole number within `range`; integral JSON numbers and digit strings are both accepted.
    mutating func integer(_ field: String, required: Bool = false, range: ClosedRange<Int>) -> Int? {
        let number: Double
        switch object[field] {
        case nil, .null?:
            if required { fail(field, "is required") }
            return nil
        case .number(let value)?:
            number = value
        case .string(let text)? where !text.isEmpty && text.utf8.count <= 12 && text.allSatisfy(\.isASCII):
            guard let value = Double(text) else { fail(field, "must be a whole number"); return nil }
            number = value
        case let other?:
            fail(field, "must be a number, not \(other.typeName)")
            return nil
        }
        guard number.rounded() == number, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            fail(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(number)
    }

    /// An identifier checked by `SafeIdentifier`.
    mutating func identifier(_ field: String, check: (String) -> String?) -> String? {
        guard let value = string(field, required: true, maxLength: 256) else { return nil }
        if let problem = check(value) {
            fail(field, problem)
            return nil
        }
        return value
    }

    /// A timestamp in ISO 8601 or Mcube's `YYYY-MM-DD HH:MM:SS` (IST).
    mutating func timestamp(_ field: String, required: Bool = false) -> Date? {
        guard let text = string(field, required: required, maxLength: 64) else { return nil }
        guard let date = Timestamp.parse(text) else {
            fail(field, "must be an ISO 8601 timestamp like 2026-03-11T12:33:40Z")
            return nil
        }
        return date
    }

    /// A string that must be one of `choices` (compared case-insensitively, returned lowercased).
    mutating func choice(_ field: String, _ choices: [String], required: Bool = false) -> String? {
        guard let value = string(field, required: required, maxLength: 64) else { return nil }
        guard choices.contains(value.lowercased()) else {
            fail(field, "must be one of \(choices.joined(separator: ", "))")
            return nil
        }
        return value.lowercased()
    }
}
