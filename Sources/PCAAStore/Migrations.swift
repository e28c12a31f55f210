import Foundation
import GRDB

extension AppDatabase {
    /// Schema history. Registered migrations are never edited once shipped; add new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-spine") { db in
            try db.execute(sql: """
                CREATE TABLE subscriptions (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL UNIQUE,
                    business_name TEXT,
                    plan TEXT NOT NULL DEFAULT 'standard',
                    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled')),
                    status_reason TEXT,
                    activated_at DATETIME,
                    paid_until DATETIME,
                    status_changed_at DATETIME NOT NULL,
                    webhook_secret TEXT NOT NULL,
                    previous_webhook_secret TEXT,
                    previous_secret_expires_at DATETIME,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                CREATE TABLE bid_config (
                    bid TEXT PRIMARY KEY REFERENCES subscriptions(bid),
                    pipeline_enabled INTEGER NOT NULL DEFAULT 1,
                    stt_provider TEXT NOT NULL,
                    analyzer TEXT NOT NULL,
                    notifier TEXT NOT NULL,
                    language TEXT NOT NULL,
                    min_call_duration_s INTEGER NOT NULL,
                    channel_map TEXT NOT NULL DEFAULT 'left=agent',
                    quality_template TEXT NOT NULL,
                    pass_threshold REAL NOT NULL DEFAULT 70,
                    hot_retention_days INTEGER NOT NULL DEFAULT 90,
                    warm_retention_days INTEGER NOT NULL DEFAULT 365,
                    archive_audio INTEGER NOT NULL DEFAULT 0,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                CREATE TABLE quality_parameters (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL REFERENCES subscriptions(bid),
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    weight INTEGER NOT NULL CHECK (weight >= 0),
                    cue_phrases TEXT NOT NULL DEFAULT '[]',
                    auto_fail INTEGER NOT NULL DEFAULT 0,
                    position INTEGER NOT NULL,
                    enabled INTEGER NOT NULL DEFAULT 1,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    UNIQUE (bid, name)
                );

                CREATE TABLE calls (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL,
                    callid TEXT NOT NULL,
                    agent_name TEXT,
                    agent_id TEXT,
                    agent_email TEXT,
                    agent_phone TEXT,
                    customer_phone TEXT,
                    call_starttime DATETIME,
                    call_endtime DATETIME,
                    duration_seconds INTEGER NOT NULL,
                    call_status TEXT NOT NULL,
                    direction TEXT,
                    recording_url TEXT,
                    group_name TEXT,
                    processing_state TEXT NOT NULL,
                    skip_reason TEXT,
                    last_error TEXT,
                    audio_path TEXT,
                    audio_duration_s REAL,
                    audio_sample_rate INTEGER,
                    audio_channels INTEGER,
                    webhook_received_at DATETIME NOT NULL,
                    state_changed_at DATETIME NOT NULL,
                    completed_at DATETIME,
                    UNIQUE (bid, callid)
                );
                CREATE INDEX calls_by_bid_state ON calls (bid, processing_state);
                CREATE INDEX calls_by_state_age ON calls (processing_state, state_changed_at);

                CREATE TABLE transcripts (
                    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
                    bid TEXT NOT NULL,
                    callid TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT,
                    language TEXT,
                    text TEXT NOT NULL,
                    segments TEXT NOT NULL,
                    audio_duration_s REAL NOT NULL,
                    processing_ms INTEGER NOT NULL,
                    created_at DATETIME NOT NULL
                );
                CREATE INDEX transcripts_by_bid ON transcripts (bid, callid);

                CREATE TABLE analyses (
                    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
                    bid TEXT NOT NULL,
                    callid TEXT NOT NULL,
                    analyzer TEXT NOT NULL,
                    model TEXT,
                    prompt_version TEXT,
                    total_score REAL,
                    passed INTEGER,
                    result TEXT NOT NULL,
                    processing_ms INTEGER NOT NULL,
                    created_at DATETIME NOT NULL
                );
                CREATE INDEX analyses_by_bid ON analyses (bid, callid);

                CREATE TABLE webhook_log (
                    id INTEGER PRIMARY KEY,
                    bid TEXT,
                    event_type TEXT NOT NULL,
                    callid TEXT,
                    payload TEXT,
                    signature_valid INTEGER NOT NULL,
                    queued INTEGER NOT NULL,
                    http_status INTEGER NOT NULL,
                    skip_reason TEXT,
                    received_at DATETIME NOT NULL
                );
                CREATE INDEX webhook_log_by_bid ON webhook_log (bid, received_at);
                CREATE INDEX webhook_log_by_time ON webhook_log (received_at);

                CREATE TABLE processing_log (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL,
                    callid TEXT,
                    stage TEXT NOT NULL,
                    status TEXT NOT NULL,
                    worker_id TEXT,
                    attempt INTEGER,
                    duration_ms INTEGER,
                    error_message TEXT,
                    created_at DATETIME NOT NULL
                );
                CREATE INDEX processing_log_by_call ON processing_log (bid, callid);

                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY,
                    stage TEXT NOT NULL,
                    bid TEXT NOT NULL,
                    callid TEXT NOT NULL,
                    payload TEXT NOT NULL DEFAULT '{}',
                    state TEXT NOT NULL CHECK (state IN ('ready', 'running', 'done', 'dead')),
                    attempt INTEGER NOT NULL DEFAULT 0,
                    max_attempts INTEGER NOT NULL,
                    run_at DATETIME NOT NULL,
                    lease_until DATETIME,
                    worker_id TEXT,
                    claimed_at DATETIME,
                    last_error TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    UNIQUE (stage, bid, callid)
                );
                CREATE INDEX jobs_for_claim ON jobs (stage, bid, state, run_at);
                CREATE INDEX jobs_for_fairness ON jobs (stage, bid, claimed_at);
                CREATE INDEX jobs_for_leases ON jobs (state, lease_until);
                """)
        }
        migrator.registerMigration("v2-speaker-roles") { db in
            try db.execute(sql: "ALTER TABLE bid_config ADD COLUMN first_speaker TEXT NOT NULL DEFAULT 'agent_on_outbound'")
        }
        migrator.registerMigration("v3-analysis") { db in
            try db.execute(sql: """
                ALTER TABLE quality_parameters ADD COLUMN kind TEXT NOT NULL DEFAULT 'expected';
                ALTER TABLE quality_parameters ADD COLUMN speaker TEXT DEFAULT 'agent';
                ALTER TABLE quality_parameters ADD COLUMN window TEXT NOT NULL DEFAULT 'anywhere';
                ALTER TABLE bid_config ADD COLUMN redact_pii TEXT NOT NULL DEFAULT 'all';
                ALTER TABLE bid_config ADD COLUMN objection_themes TEXT;
                """)
        }
        migrator.registerMigration("v4-call-search") { db in
            // Full-text search over transcripts (external content: the text lives once, in `transcripts`), kept in
            // step by triggers; the list endpoint's order (call time, newest first) gets its own index.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE transcripts_fts USING fts5(
                    text, content='transcripts', content_rowid='call_id', tokenize='unicode61 remove_diacritics 2'
                );
                INSERT INTO transcripts_fts(transcripts_fts) VALUES ('rebuild');
                CREATE TRIGGER transcripts_fts_insert AFTER INSERT ON transcripts BEGIN
                    INSERT INTO transcripts_fts(rowid, text) VALUES (new.call_id, new.text);
                END;
                CREATE TRIGGER transcripts_fts_delete AFTER DELETE ON transcripts BEGIN
                    INSERT INTO transcripts_fts(transcripts_fts, rowid, text) VALUES ('delete', old.call_id, old.text);
                END;
                CREATE TRIGGER transcripts_fts_update AFTER UPDATE OF text ON transcripts BEGIN
                    INSERT INTO transcripts_fts(transcripts_fts, rowid, text) VALUES ('delete', old.call_id, old.text);
                    INSERT INTO transcripts_fts(rowid, text) VALUES (new.call_id, new.text);
                END;
                CREATE INDEX calls_by_bid_time ON calls (bid, COALESCE(call_starttime, webhook_received_at), id);
                CREATE INDEX calls_by_bid_agent_time ON calls (bid, agent_id, COALESCE(call_starttime, webhook_received_at), id);
                CREATE INDEX analyses_by_bid_score ON analyses (bid, total_score);
                """)
        }
        migrator.registerMigration("v5-notifications") { db in
            // Seed §8.3 notification_config and §8.5 agent_profiles; the delivery log; digest periods already sent;
            // alert cooldowns that outlive a restart. Existing BIDs get the default notification settings.
            try db.execute(sql: """
                CREATE TABLE notification_config (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL REFERENCES subscriptions(bid),
                    notification_type TEXT NOT NULL CHECK (notification_type IN ('agent_report', 'supervisor_digest')),
                    channel TEXT NOT NULL CHECK (channel IN ('email', 'whatsapp', 'both', 'none')),
                    recipient_type TEXT NOT NULL CHECK (recipient_type IN ('agent_self', 'supervisor', 'custom_email')),
                    custom_email TEXT,
                    send_time TEXT NOT NULL DEFAULT '08:00',
                    send_days TEXT NOT NULL DEFAULT 'mon,tue,wed,thu,fri,sat',
                    timezone TEXT NOT NULL DEFAULT 'Asia/Kolkata',
                    enabled INTEGER NOT NULL DEFAULT 1,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX notification_config_by_bid ON notification_config (bid, notification_type);

                CREATE TABLE agent_profiles (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL REFERENCES subscriptions(bid),
                    agent_id TEXT NOT NULL,
                    agent_name TEXT,
                    phone TEXT,
                    email TEXT,
                    whatsapp TEXT,
                    supervisor_group TEXT,
                    role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'supervisor')),
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    UNIQUE (bid, agent_id)
                );
                CREATE INDEX agent_profiles_by_group ON agent_profiles (bid, supervisor_group, role);

                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY,
                    bid TEXT NOT NULL,
                    callid TEXT,
                    kind TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
                    provider_message_id TEXT,
                    detail TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    sent_at DATETIME
                );
                CREATE INDEX notifications_by_call ON notifications (bid, callid);
                CREATE INDEX notifications_by_time ON notifications (bid, created_at);

                CREATE TABLE digest_runs (
                    bid TEXT NOT NULL,
                    group_name TEXT NOT NULL,
                    period TEXT NOT NULL,
                    status TEXT NOT NULL,
                    calls INTEGER NOT NULL,
                    created_at DATETIME NOT NULL,
                    PRIMARY KEY (bid, group_name, period)
                );

                CREATE INDEX processing_log_by_stage_time ON processing_log (stage, created_at);

                CREATE TABLE alert_state (
                    kind TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    last_raised_at DATETIME NOT NULL,
                    suppressed INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (kind, scope)
                );
                """)
            let now = DatabaseTimestamp.string(Date())
            try db.execute(sql: """
                INSERT INTO notification_config (bid, notification_type, channel, recipient_type, created_at, updated_at)
                SELECT bid, 'agent_report', 'email', 'agent_self', ?, ? FROM subscriptions;
                INSERT INTO notification_config (bid, notification_type, channel, recipient_type, created_at, updated_at)
                SELECT bid, 'supervisor_digest', 'email', 'supervisor', ?, ? FROM subscriptions;
                """, arguments: [now, now, now, now])
        }
        return migrator
    }
}
