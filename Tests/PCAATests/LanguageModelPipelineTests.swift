import Foundation
import PCAAAnalysis
import PCAACore
import PCAAPipeline
import PCAASTT
import Testing

/// The language-model analyzers wired through config, the registry, the doctor and the whole pipeline.
@Suite("Language-model analyzers")
struct LanguageModelPipelineTests {
    /// A transcript with a phone number in it, as an engine would return for the test recordings.
    struct PhoneNumberSpeechToText: SpeechToText {
        let name = "scripted-pii"

        func transcribe(audio: AudioFile, call: CallContext) async throws -> TranscriptResult {
            let segments = [
                TranscriptSegment(start: 0, end: 2, role: .agent, text: "Good morning, this is Richa calling from Mcube broadband."),
                TranscriptSegment(start: 2, end: 4, role: .customer, text: "Please call me back on 98765 43210 after lunch."),
            ]
            return TranscriptResult(text: segments.map(\.text).joined(separator: " "), segments: segments, language: "en",
                                    provider: name, model: "script", audioDurationSeconds: audio.durationSeconds)
        }
    }

    /// `analyzer = "openai"` with `redact_pii = "llm"`: the model gets `[phone]`, the stored transcript keeps the number,
    /// and the stored analysis is the model's, finished by the pipeline.
    @Test func openAIAnalyzerGetsARedactedTranscriptThroughThePipeline() async throws {
        let recordings = try await TestRecordings.start()
        defer { Task { await recordings.stop() } }
        let answer = jsonText([
            "parameters": [["name": "Greeting", "score": 8, "reason": "Greeted the customer.", "evidence": "this is Richa calling from Mcube",
                            "violated": NSNull()]]
                + QualityTemplates.template(named: "presales").dropFirst().map { item -> [String: Any] in
                    ["name": item.name, "score": min(5, item.weight), "reason": "Not much of it in a short call.", "evidence": NSNull(),
                     "violated": item.weight == 0 ? false : NSNull()]
                },
            "bant": ["need": ["status": "not_discussed", "detail": NSNull(), "evidence": NSNull()],
                     "authority": ["status": "not_discussed", "detail": NSNull(), "evidence": NSNull()],
                     "budget": ["status": "not_discussed", "detail": NSNull(), "evidence": NSNull()],
                     "timeline": ["status": "identified", "detail": "after lunch", "evidence": "after lunch today"]],
            "coaching": ["Confirm the callback time."], "summary": "Short call; the customer asked for a callback.",
            "objections": [], "sentiment": "neutral",
        ])
        let fake = FakeOpenAIChat([FakeOpenAIChat.completion(answer)])
        try await fake.run { base in
            var config = TestDaemon.testConfig()
            config.defaults.sttProvider = "scripted-pii"
            config.defaults.analyzer = "openai"
            config.defaults.redactPII = "llm"
            config.analysis.openaiBaseURL = base
            config.analysis.openaiAPIKey = OpenAIAnalyzerTests.key
            config.analysis.openaiModel = "gpt-4o-mini"
            var providers = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
            providers.speechToText["scripted-pii"] = PhoneNumberSpeechToText()
            let daemon = try await TestDaemon.start(config: config, providers: providers)
            defer { Task { await daemon.stop() } }
            let secret = try await PipelineTests.provisioned(daemon)
            let callid = "llm-pipeline-1"
            #expect(try await daemon.postCall(CallPayload(bid: "6004", callid: callid, recordingURL: recordings.url(callid)), secret: secret).status == 200)
            #expect(await eventually { (try? await daemon.callState("6004", callid)) == .notified })

            let calls = fake.script.calls
            try #require(calls.count == 1)
            let prompt = (calls[0].json["messages"] as? [[String: Any]])?.last?["content"] as? String ?? ""
            #expect(prompt.contains("CUSTOMER: Please call me back on [phone] after lunch."), "\(prompt)")
            #expect(!prompt.contains("98765"))

            let detail = try #require(try await daemon.database.callDetail(bid: "6004", callid: callid))
            let transcript = try #require(try detail.transcript?.result())
            #expect(transcript.text.contains("98765 43210"), "the stored transcript keeps the number under redact_pii = llm")
            let analysis = try #require(try detail.analysis?.decoded())
            #expect(analysis.analyzer == "openai" && analysis.model == "gpt-4o-mini" && analysis.promptVersion == "llm-v1")
            let greeting = try #require(analysis.parameters.first { $0.name.lowercased().contains("greeting") })
            #expect(greeting.reason == "Greeted the customer." && greeting.evidence == "this is Richa calling from Mcube")
            #expect(analysis.bant?.timeline.status == .identified && analysis.bant?.timeline.evidence == nil,
                    "a quote the call does not contain is not stored")
            #expect(analysis.coaching == ["Confirm the callback time."])
        }
    }

    @Test func registryBuildsConfiguredAnalyzersAndNamesWhatIsMissing() {
        var config = PCAAConfig()
        let bare = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
        let bedrock = bare.analyzer(named: "bedrock")
        #expect(bedrock is UnavailableAnalyzer)
        #expect((bedrock as? UnavailableAnalyzer)?.reason.contains("analysis.aws_access_key_id") == true)
        #expect((bare.analyzer(named: "openai") as? UnavailableAnalyzer)?.reason.contains("analysis.openai_base_url") == true)

        config.analysis.awsAccessKeyID = "AKIDEXAMPLE"
        config.analysis.awsSecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        config.analysis.openaiBaseURL = "http://127.0.0.1:11434"
        let configured = ProviderRegistry.builtIn(config: config, localEndpoint: LocalSTTEndpoint())
        let analyzer = configured.analyzer(named: "bedrock")
        #expect(analyzer is LanguageModelAnalyzer && analyzer.sendsTranscriptOffBox)
        #expect(configured.analyzer(named: "openai").sendsTranscriptOffBox)
        #expect(configured.analyzer(named: "rules") is RulesAnalyzer)
    }

    @Test func configSectionAndAWSEnvironmentFallbacks() throws {
        let text = """
            [analysis]
            bedrock_model = "us.amazon.nova-lite-v1:0"
            aws_secret_access_key = "from-the-file-secret"
            openai_base_url = "http://10.0.0.5:8000/v1"
            max_tokens = 3000
            """
        let config = try ConfigLoader.parse(text, environment: [
            "AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "ignored-the-file-has-one", "AWS_SESSION_TOKEN": "tok",
            "AWS_REGION": "ap-south-1", "PCAA_ANALYSIS_OPENAI_API_KEY": "sk-env",
        ])
        #expect(config.analysis.awsAccessKeyID == "AKIDFROMENV" && config.analysis.awsSecretAccessKey == "from-the-file-secret")
        #expect(config.analysis.awsSessionToken == "tok" && config.analysis.region == "ap-south-1")
        #expect(config.analysis.resolvedBedrockEndpoint == "https://bedrock-runtime.ap-south-1.amazonaws.com")
        #expect(config.analysis.bedrockModel == "us.amazon.nova-lite-v1:0" && config.analysis.maxTokens == 3000)
        #expect(config.analysis.openaiAPIKey == "sk-env")
        // The pcaa variable wins over the AWS one.
        let pcaa = try ConfigLoader.parse("", environment: ["PCAA_ANALYSIS_AWS_ACCESS_KEY_ID": "AKIDPCAA", "AWS_ACCESS_KEY_ID": "AKIDAWS"])
        #expect(pcaa.analysis.awsAccessKeyID == "AKIDPCAA")
        #expect(PCAAConfig().analysis.region == "us-east-1")
        #expect(throws: ConfigErrors.self) { try ConfigLoader.parse("[analysis]\nbedrock_region = \"Mumbai\"") }
        #expect(throws: ConfigErrors.self) { try ConfigLoader.parse("[analysis]\nopenai_base_url = \"ftp://x\"") }
    }

    @Test func doctorReportsMissingAnalyzerSettings() {
        var config = TestDaemon.testConfig()
        config.defaults.analyzer = "bedrock"
        let checks = Doctor.run(config: config)
        let bedrock = checks.first { $0.name == "bedrock analyzer" }
        #expect(bedrock?.level == .failure && bedrock?.detail.contains("analysis.aws_access_key_id") == true)
        #expect(!checks.contains { $0.name == "openai analyzer" })
        config.analysis.awsAccessKeyID = "AKIDEXAMPLE"
        config.analysis.awsSecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let ok = Doctor.run(config: config).first { $0.name == "bedrock analyzer" }
        #expect(ok?.level == .ok && ok?.detail.contains("wJalr") == false)
        let bidChecks = Doctor.analyzerChecks(config: PCAAConfig(), bidAnalyzers: ["openai"])
        #expect(bidChecks.first { $0.name == "openai analyzer" }?.level == .failure)
    }
}
