/**
 * The schema as a ladder: migrations[i] takes a database from user_version i to i + 1.
 * Each step runs in one transaction together with its version bump, so a crash leaves either the old or
 * the new version, never half of one. Append new steps; never edit a step that has shipped.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'sessions, messages and the source files they were read from',
    up(db) {
      db.exec(`
        CREATE TABLE session (
          id            TEXT PRIMARY KEY,
          agent         TEXT NOT NULL,
          parent_id     TEXT,
          project       TEXT,
          title         TEXT,
          summary       TEXT,
          git_branch    TEXT,
          started_at    INTEGER,
          updated_at    INTEGER,
          message_count INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX session_recent  ON session(updated_at DESC, id);
        CREATE INDEX session_agent   ON session(agent, updated_at DESC);
        CREATE INDEX session_project ON session(project, updated_at DESC);
        CREATE INDEX session_parent  ON session(parent_id);

        -- One row per file an adapter reads. The stored offset is where the next read starts; it is written in the
        -- same transaction as the messages read up to it, so the index never holds half a batch.
        CREATE TABLE source_file (
          id         INTEGER PRIMARY KEY,
          path       TEXT NOT NULL UNIQUE,
          agent      TEXT NOT NULL,
          dev        INTEGER NOT NULL DEFAULT 0,
          ino        INTEGER NOT NULL DEFAULT 0,
          size       INTEGER NOT NULL DEFAULT 0,
          mtime_ms   INTEGER NOT NULL DEFAULT 0,
          read_offset INTEGER NOT NULL DEFAULT 0,
          head_hash  TEXT,
          state      TEXT,
          gone       INTEGER NOT NULL DEFAULT 0,
          indexed_at INTEGER
        ) STRICT;

        CREATE TABLE session_source (
          session_id     TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
          source_file_id INTEGER NOT NULL REFERENCES source_file(id) ON DELETE CASCADE,
          PRIMARY KEY (session_id, source_file_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE message (
          id             INTEGER PRIMARY KEY,
          session_id     TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
          seq            INTEGER NOT NULL,
          source_id      TEXT NOT NULL,
          parent_id      TEXT,
          timestamp      INTEGER,
          role           TEXT NOT NULL,
          kind           TEXT NOT NULL,
          text           TEXT NOT NULL,
          tool_name      TEXT,
          tool_input     TEXT,
          tool_use_id    TEXT,
          files          TEXT,
          is_error       INTEGER NOT NULL DEFAULT 0,
          is_sidechain   INTEGER NOT NULL DEFAULT 0,
          subtype        TEXT,
          data           TEXT,
          source_file_id INTEGER NOT NULL REFERENCES source_file(id),
          byte_offset    INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX message_seq    ON message(session_id, seq);
        CREATE UNIQUE INDEX message_source ON message(session_id, source_id);
        CREATE INDEX message_tool_use      ON message(session_id, tool_use_id) WHERE tool_use_id IS NOT NULL;
        CREATE INDEX message_from_file     ON message(source_file_id);
      `);
    },
  },
  {
    description: 'checkpoints: file snapshots the assistants recorded (Claude file-history, Gemini checkpoints)',
    up(db) {
      db.exec(`
        -- Evidence of the code's state that an assistant wrote beside its log. The restore planner reads these;
        -- data is source-specific JSON (see CheckpointSource in model.ts). Rows point back to their source line.
        CREATE TABLE checkpoint (
          id                INTEGER PRIMARY KEY,
          session_id        TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
          source            TEXT NOT NULL,
          message_source_id TEXT,
          timestamp         INTEGER,
          data              TEXT NOT NULL,
          source_file_id    INTEGER NOT NULL REFERENCES source_file(id) ON DELETE CASCADE,
          byte_offset       INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX checkpoint_line ON checkpoint(source_file_id, byte_offset, source);
        CREATE INDEX checkpoint_session ON checkpoint(session_id, timestamp);
      `);
    },
  },
  {
    description: 'session facts a restore needs: the git commit and repository it started from, the assistant version',
    up(db) {
      db.exec(`
        ALTER TABLE session ADD COLUMN git_commit TEXT;
        ALTER TABLE session ADD COLUMN git_repo TEXT;
        ALTER TABLE session ADD COLUMN agent_version TEXT;
      `);
    },
  },
  {
    description: "mantra-tui's own working-tree snapshots, and the journal of restores",
    up(db) {
      db.exec(`
        -- A snapshot of a live session's repository taken when a message arrived: a commit in the project's shadow
        -- repository under the data directory (see restore/shadow.ts). An unchanged tree reuses the last commit.
        CREATE TABLE snapshot (
          id          INTEGER PRIMARY KEY,
          session_id  TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
          seq         INTEGER NOT NULL,
          repo_root   TEXT NOT NULL,
          commit_hash TEXT NOT NULL,
          tree_hash   TEXT NOT NULL,
          timestamp   INTEGER NOT NULL,
          created_at  INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX snapshot_message ON snapshot(session_id, seq, repo_root);

        -- Every restore and undo, mirrored from its journal file (<data dir>/restores/<file>), which is the record a
        -- crashed restore is recovered from. Kept without a foreign key: the journal outlives its session's rows.
        CREATE TABLE restore_journal (
          id            INTEGER PRIMARY KEY,
          journal_file  TEXT NOT NULL UNIQUE,
          session_id    TEXT,
          seq           INTEGER,
          mode          TEXT NOT NULL,
          state         TEXT NOT NULL,
          repo_root     TEXT NOT NULL,
          target        TEXT NOT NULL,
          branch        TEXT,
          backup_commit TEXT,
          undo_of       INTEGER,
          undone_by     INTEGER,
          written       INTEGER NOT NULL DEFAULT 0,
          created       INTEGER NOT NULL DEFAULT 0,
          deleted       INTEGER NOT NULL DEFAULT 0,
          refused       TEXT,
          created_at    INTEGER NOT NULL,
          completed_at  INTEGER
        ) STRICT;
        CREATE INDEX restore_recent ON restore_journal(created_at DESC, id DESC);
      `);
    },
  },
  {
    description: 'secrets found in messages: spans per field, and the detector version each message was scanned with',
    up(db) {
      db.exec(`
        -- NULL: not scanned yet. A message scanned with an older detector is scanned again (redact/scanner.ts).
        ALTER TABLE message ADD COLUMN secrets_version INTEGER;
        CREATE INDEX message_secrets_version ON message(secrets_version);

        -- Where the secrets are, never what they are: offsets into the message's field (JavaScript string indices).
        CREATE TABLE secret_span (
          message_id INTEGER NOT NULL REFERENCES message(id) ON DELETE CASCADE,
          field      TEXT NOT NULL,
          span_start INTEGER NOT NULL,
          span_end   INTEGER NOT NULL,
          kind       TEXT NOT NULL
        ) STRICT;
        CREATE INDEX secret_span_message ON secret_span(message_id);
      `);
    },
  },
  {
    description: 'facts (decisions, dead ends, status, key files) and full-text search over messages, facts and titles',
    up(db) {
      db.exec(String.raw`
        -- Short typed facts extracted from each session (src/facts), each pointing at its message by seq.
        -- Provisional facts (the status of the still-open stretch, key files) are replaced with every append.
        CREATE TABLE fact (
          id                INTEGER PRIMARY KEY,
          session_id        TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
          seq               INTEGER NOT NULL,
          kind              TEXT NOT NULL,
          text              TEXT NOT NULL,
          detail            TEXT,
          provisional       INTEGER NOT NULL DEFAULT 0,
          extractor_version INTEGER NOT NULL,
          -- Of the message it points at (epoch ms), so facts list newest first without touching message.
          timestamp         INTEGER
        ) STRICT;
        CREATE INDEX fact_session ON fact(session_id, seq);
        CREATE INDEX fact_kind    ON fact(kind, timestamp);

        -- Where extraction stopped in each session, and the extractor's state there, so an append extracts only the
        -- new messages. A missing row or an older extractor_version means the session is re-extracted.
        CREATE TABLE fact_state (
          session_id        TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
          extractor_version INTEGER NOT NULL,
          last_seq          INTEGER NOT NULL,
          state             TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        -- Full text of every message: its text (prompt, reply, thought, tool output) and a tool call's input.
        -- Contentless: the text already lives in message, so the index holds no second copy; snippets are cut from
        -- message.text by src/search/snippet.ts. The rowid is message.id. No prefix index: it made indexing 1.7 to
        -- 2.9 times slower and the index 2 to 3 times larger; prefixes are expanded through message_vocab instead.
        CREATE VIRTUAL TABLE message_fts USING fts5(
          body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
        );
        -- Terms are buffered up to 8 MB before a segment is written: a third less merging on a first index.
        INSERT INTO message_fts (message_fts, rank) VALUES ('hashsize', 8388608);
        -- Its vocabulary: a prefix query is expanded here into the words it stands for (src/search/fulltext.ts).
        CREATE VIRTUAL TABLE message_vocab USING fts5vocab(message_fts, 'row');

        -- Messages waiting to be tokenized. Appends only queue their ids (a trigger, so no write path can forget);
        -- the writer drains the queue in large batches (IndexWriter.flushSearchIndex), which indexes text about
        -- twice as fast as one small FTS transaction per ingest batch and keeps the first pass off the UI's way.
        CREATE TABLE message_fts_pending (id INTEGER PRIMARY KEY) STRICT;
        CREATE TRIGGER message_fts_queue AFTER INSERT ON message BEGIN
          INSERT OR IGNORE INTO message_fts_pending (id) VALUES (new.id);
        END;
        CREATE TRIGGER message_fts_update AFTER UPDATE OF text, tool_input ON message BEGIN
          DELETE FROM message_fts WHERE rowid = old.id;
          INSERT OR IGNORE INTO message_fts_pending (id) VALUES (new.id);
        END;
        -- Every delete (a reset, a cascade from a deleted session) leaves neither index row nor queue entry behind.
        CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
          DELETE FROM message_fts_pending WHERE id = old.id;
          DELETE FROM message_fts WHERE rowid = old.id;
        END;
        INSERT INTO message_fts_pending (id) SELECT id FROM message;

        -- Candidates for fuzzy search: fact texts (rowid = fact.id) and session titles (rowid = -session.rowid).
        -- Only single terms and prefixes are asked of it (fuse.js ranks), so it keeps no positions (detail=none).
        CREATE VIRTUAL TABLE fuzzy_fts USING fts5(
          body, content = '', contentless_delete = 1, detail = none,
          tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
        );
        -- Its vocabulary: where near spellings of a mistyped word are looked up.
        CREATE VIRTUAL TABLE fuzzy_vocab USING fts5vocab(fuzzy_fts, 'row');

        CREATE TRIGGER fuzzy_fact_insert AFTER INSERT ON fact BEGIN
          INSERT INTO fuzzy_fts (rowid, body) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER fuzzy_fact_delete AFTER DELETE ON fact BEGIN
          DELETE FROM fuzzy_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER fuzzy_title_insert AFTER INSERT ON session
          WHEN new.title IS NOT NULL OR new.summary IS NOT NULL BEGIN
          INSERT INTO fuzzy_fts (rowid, body) VALUES (-new.rowid, coalesce(new.summary, '') || char(10) || coalesce(new.title, ''));
        END;
        CREATE TRIGGER fuzzy_title_update AFTER UPDATE OF title, summary ON session BEGIN
          DELETE FROM fuzzy_fts WHERE rowid = -old.rowid;
          INSERT INTO fuzzy_fts (rowid, body) SELECT -new.rowid, coalesce(new.summary, '') || char(10) || coalesce(new.title, '')
            WHERE new.title IS NOT NULL OR new.summary IS NOT NULL;
        END;
        CREATE TRIGGER fuzzy_title_delete AFTER DELETE ON session BEGIN
          DELETE FROM fuzzy_fts WHERE rowid = -old.rowid;
        END;
        INSERT INTO fuzzy_fts (rowid, body)
          SELECT -rowid, coalesce(summary, '') || char(10) || coalesce(title, '') FROM session
          WHERE title IS NOT NULL OR summary IS NOT NULL;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
    path: string,
  ) {
    super(
      `the index at ${path} has schema version ${found}, but this mantra-tui understands up to ${supported}. ` +
        `Upgrade mantra-tui, or point --db at another file.`,
    );
  }
}

/** Brings `db` up to `target` (default: the newest version) one step at a time. */
export function migrate(db: Database.Database, path: string, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(current, SCHEMA_VERSION, path);
  for (let version = current; version < target; version++) {
    const step = MIGRATIONS[version];
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
