import Foundation
import PCAACore

/// Filters and page position of a call listing (`GET /call-records/{bid}`). Calls come newest first by call time
/// (`call_starttime`, or when Mcube sent none, the time the webhook arrived), ties broken by id.
public struct CallListQuery: Sendable, Equatable {
    public var bid: String
    /// Exact `agent_id` (uses an index).
    public var agentID: String?
    /// An agent by id or by name (case-insensitive).
    public var agent: String?
    /// Calls at or after this time.
    public var from: Date?
    /// Calls before this time.
    public var before: Date?
    public var states: [ProcessingState] = []
    /// Total score bounds (inclusive); calls without a score never match a bound.
    public var minScore: Double?
    public var maxScore: Double?
    public var passed: Bool?
    /// A full-text query (see ``FullTextQuery``) over the transcript.
    public var search: FullTextQuery?
    public var limit: Int = 50
    /// Continue after this position (from the previous page's `nextCursor`).
    public var after: CallListCursor?

    public init(bid: String) {
        self.bid = bid
    }

    public static let maxLimit = 500
}

/// An opaque keyset position: the call time and id of the last call on a page, as URL-safe base64.
public struct CallListCursor: Sendable, Equatable {
    /// Call time as stored (`YYYY-MM-DD HH:MM:SS.SSS`, UTC).
    public var time: String
    public var id: Int64

    public init(time: String, id: Int64) {
        self.time = time
        self.id = id
    }

    /// The token clients pass back as `cursor`.
    public var token: String {
        Data("\(time)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a token; nil when it is not one this server issued.
    public init?(token: String) {
        guard token.count <= 200, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int64(parts[1]), id > 0, Self.isStoredTime(parts[0]) else { return nil }
        self.init(time: String(parts[0]), id: id)
    }

    /// `YYYY-MM-DD HH:MM:SS.SSS` (the optional fraction as GRDB writes it).
    private static func isStoredTime(_ text: Substring) -> Bool {
        let pattern = Array("dddd-dd-dd dd:dd:dd")
        let chars = Array(text)
        guard chars.count >= pattern.count, chars.count <= 23 else { return false }
        for (index, expected) in pattern.enumerated() {
            let char = chars[index]
            if expected == "d" ? !char.isASCII || !char.isNumber : char != expected { return false }
        }
        return chars.dropFirst(pattern.count).enumerated().allSatisfy { $0.offset == 0 ? $0.element == "." : $0.element.isASCII && $0.element.isNumber }
    }
}

/// One row of a call listing: the call's headline facts and, once analysed, its score.
public struct CallListItem: Sendable, Equatable {
    public var id: Int64
    public var callid: String
    public var agentID: String?
    public var agentName: String?
    public var customerPhone: String?
    public var direction: String?
    public var callStatus: String
    public var durationSeconds: Int
    public var callTime: Date
    public var processingState: ProcessingState
    public var totalScore: Double?
    public var passed: Bool?
    public var analyzer: String?
    /// For searches: the matching part of the transcript, hits marked «like this».
    public var snippet: String?
}

/// A page of calls and the cursor of the next page (nil on the last page).
public struct CallListPage: Sendable, Equatable {
    public var items: [CallListItem]
    public var nextCursor: CallListCursor?
}
