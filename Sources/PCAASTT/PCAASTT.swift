// Speech-to-text engines (issue 4): OpenAI-compatible, local Whisper helper, Sarvam, Deepgram.
