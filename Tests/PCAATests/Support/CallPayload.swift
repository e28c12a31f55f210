import Foundation

/// A `call.completed` body as Mcube sends it (seed §5.1), with fields tests can change.
struct CallPayload {
    var bid: String
    var callid: String
    var status = "ANSWER"
    var duration = 120
    var recordingURL: String? = "http://127.0.0.1:9/recordings/none.wav"
    var agentEmail: String? = "richa@company.com"
    var direction = "outbound"

    var json: String {
        var fields = [
            #""event":"call.completed""#, #""bid":"\#(bid)""#, #""callid":"\#(callid)""#,
            #""agent_name":"Richa vishwakarma""#, #""agent_id":"emp_123""#, #""agent_phone":"9876543210""#,
            #""customer_phone":"9123456780""#, #""call_starttime":"2026-03-11T12:33:40Z""#, #""call_endtime":"2026-03-11T12:50:36Z""#,
            #""duration_seconds":\#(duration)"#, #""call_status":"\#(status)""#, #""direction":"\#(direction)""#, #""group_name":"Presales Team""#,
        ]
        if let recordingURL { fields.append(#""recording_url":"\#(recordingURL)""#) }
        if let agentEmail { fields.append(#""agent_email":"\#(agentEmail)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
