import Mustache

// The report views name their fields for the templates directly: swift-mustache otherwise reads every value through
// `Mirror`, which profiling showed as the notify stage's largest cost.

extension AgentReportView: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "callid": callid
        case "agentName": agentName
        case "customerPhone": customerPhone
        case "dateLabel": dateLabel
        case "durationLabel": durationLabel
        case "hasScore": hasScore
        case "scoreLabel": scoreLabel
        case "noScoreReason": noScoreReason
        case "failedItems": failedItems
        case "strong": strong
        case "weak": weak
        case "bant": bant
        case "coaching": coaching
        case "summary": summary
        case "analyzer": analyzer
        case "hasStrong": hasStrong
        case "hasWeak": hasWeak
        case "hasBANT": hasBANT
        case "hasCoaching": hasCoaching
        default: nil
        }
    }
}

extension AgentReportView.Item: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "points": points
        case "reason": reason
        case "failedCall": failedCall
        default: nil
        }
    }
}

extension AgentReportView.BANTLine: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "status": status
        case "detail": detail
        default: nil
        }
    }
}

extension TeamDigestView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "bid": bid
        case "group": group
        case "period": period
        case "timezone": timezone
        case "callCount": callCount
        case "analyzedCount": analyzedCount
        case "averageLabel": averageLabel
        case "top": top
        case "attention": attention
        case "objections": objections
        case "bant": bant
        case "failedCount": failedCount
        case "hasTop": hasTop
        case "hasAttention": hasAttention
        case "hasObjections": hasObjections
        case "hasBANT": hasBANT
        default: nil
        }
    }
}

extension TeamDigestView.AgentLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "rank": rank
        case "name": self.name
        case "averageLabel": averageLabel
        case "callsLabel": callsLabel
        case "why": why
        default: nil
        }
    }
}

extension TeamDigestView.ThemeLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "theme": theme
        case "callsLabel": callsLabel
        default: nil
        }
    }
}

extension TeamDigestView.BANTLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "count": count
        case "of": of
        case "lowest": lowest
        default: nil
        }
    }
}
