package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring the schema from version i to i+1. Never edit one that has
// shipped: append a new one.
var migrations = []string{
	// 1: bookings and the event log.
	`CREATE TABLE bookings (
		id           TEXT PRIMARY KEY,
		office       TEXT NOT NULL,
		day          TEXT NOT NULL,
		slot_start   INTEGER NOT NULL, -- Unix seconds
		slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
		kind         TEXT NOT NULL CHECK (kind IN ('intake', 'pickup')),
		name         TEXT NOT NULL,
		reason       TEXT NOT NULL,
		status       TEXT NOT NULL DEFAULT 'confirmed',
		code         TEXT NOT NULL UNIQUE
	);
	CREATE INDEX bookings_day ON bookings (office, day, slot_start);
	CREATE TABLE events (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		id         TEXT NOT NULL UNIQUE,
		booking_id TEXT NOT NULL,
		type       TEXT NOT NULL CHECK (type IN ('arrived', 'no_show', 'picked_up', 'undone')),
		at         INTEGER NOT NULL, -- Unix milliseconds
		counter    TEXT NOT NULL,
		clerk      TEXT NOT NULL,
		undoes     TEXT
	);
	CREATE INDEX events_booking ON events (booking_id, seq);`,

	// 2: office settings, and the birth date that minors' rules and fees need.
	`CREATE TABLE settings (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);
	ALTER TABLE bookings ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';`,

	// 3: signed reservation codes. Bookings are found by the booking ID the
	// code carries, so the code is no longer a unique lookup key (and may be
	// unknown); pickups get the date of the "card ready" notice; events get
	// the clerk's reason for an override; the booking system's public keys.
	`CREATE TABLE bookings_v3 (
		id           TEXT PRIMARY KEY,
		office       TEXT NOT NULL,
		day          TEXT NOT NULL,
		slot_start   INTEGER NOT NULL,
		slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
		kind         TEXT NOT NULL CHECK (kind IN ('intake', 'pickup')),
		name         TEXT NOT NULL,
		reason       TEXT NOT NULL,
		status       TEXT NOT NULL DEFAULT 'confirmed',
		birth_date   TEXT NOT NULL DEFAULT '',
		ready_on     TEXT NOT NULL DEFAULT '',
		code         TEXT
	);
	INSERT INTO bookings_v3 (id, office, day, slot_start, slot_minutes, kind, name, reason, status, birth_date, code)
		SELECT id, office, day, slot_start, slot_minutes, kind, name, reason, status, birth_date, code FROM bookings;
	DROP TABLE bookings;
	ALTER TABLE bookings_v3 RENAME TO bookings;
	CREATE INDEX bookings_day ON bookings (office, day, slot_start);
	ALTER TABLE events ADD COLUMN note TEXT NOT NULL DEFAULT '';
	CREATE TABLE keys (
		id          INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 255),
		public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
		valid_from  INTEGER NOT NULL, -- Unix seconds
		valid_until INTEGER           -- Unix seconds; NULL: no end
	);`,

	// 4: several counters and a hub. Events learn when the hub received
	// them and whether the hub has acknowledged them (the outbox); the hub
	// knows its counters by token hash, and pending booking requests; a
	// booking knows its person (a hash, hub only) so one person holds one
	// booking. Bookings are clustered on their ID (WITHOUT ROWID), one
	// B-tree less to grow when a pack brings a million of them.
	`ALTER TABLE events ADD COLUMN received_at INTEGER; -- Unix ms, hub clock
	ALTER TABLE events ADD COLUMN synced INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX events_outbox ON events (synced, seq);
	CREATE TABLE bookings_v4 (
		id           TEXT PRIMARY KEY,
		office       TEXT NOT NULL,
		day          TEXT NOT NULL,
		slot_start   INTEGER NOT NULL,
		slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
		kind         TEXT NOT NULL CHECK (kind IN ('intake', 'pickup')),
		name         TEXT NOT NULL,
		reason       TEXT NOT NULL,
		status       TEXT NOT NULL DEFAULT 'confirmed',
		birth_date   TEXT NOT NULL DEFAULT '',
		ready_on     TEXT NOT NULL DEFAULT '',
		code         TEXT,
		person       TEXT NOT NULL DEFAULT ''
	) WITHOUT ROWID;
	INSERT INTO bookings_v4 (id, office, day, slot_start, slot_minutes, kind, name, reason, status, birth_date, ready_on, code)
		SELECT id, office, day, slot_start, slot_minutes, kind, name, reason, status, birth_date, ready_on, code FROM bookings;
	DROP TABLE bookings;
	ALTER TABLE bookings_v4 RENAME TO bookings;
	CREATE INDEX bookings_day ON bookings (office, day, slot_start);
	CREATE INDEX bookings_person ON bookings (person) WHERE person != '';
	CREATE TABLE counters (
		id         TEXT PRIMARY KEY,
		token_hash TEXT NOT NULL UNIQUE,
		revoked    INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE requests (
		token      TEXT PRIMARY KEY,
		booking    TEXT NOT NULL, -- JSON
		person     TEXT NOT NULL,
		slot_start INTEGER NOT NULL,
		kind       TEXT NOT NULL,
		expires_at INTEGER NOT NULL
	);`,

	// 5: the counter's queue: a clerk calls a waiting person, then marks
	// them served. SQLite cannot change a CHECK, so the log is copied into
	// a table that allows the new types, keeping every event and its seq.
	`CREATE TABLE events_v5 (
		seq         INTEGER PRIMARY KEY AUTOINCREMENT,
		id          TEXT NOT NULL UNIQUE,
		booking_id  TEXT NOT NULL,
		type        TEXT NOT NULL CHECK (type IN ('arrived', 'no_show', 'picked_up', 'undone', 'called', 'served')),
		at          INTEGER NOT NULL,
		counter     TEXT NOT NULL,
		clerk       TEXT NOT NULL,
		undoes      TEXT,
		note        TEXT NOT NULL DEFAULT '',
		received_at INTEGER,
		synced      INTEGER NOT NULL DEFAULT 0
	);
	INSERT INTO events_v5 (seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced)
		SELECT seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced FROM events;
	DROP TABLE events;
	ALTER TABLE events_v5 RENAME TO events;
	CREATE INDEX events_booking ON events (booking_id, seq);
	CREATE INDEX events_outbox ON events (synced, seq);`,

	// 6: trustworthy sync. An event the hub refused is parked with the
	// hub's reason instead of blocking the outbox. The old hub link (an
	// address and a token in clear) goes: counters are enrolled again. A walk-in travels to the
	// hub once, like an event (pending until acknowledged, parked when
	// refused); at the hub it belongs to the counter that registered it.
	`ALTER TABLE events ADD COLUMN parked TEXT NOT NULL DEFAULT '';
	ALTER TABLE bookings ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE bookings ADD COLUMN parked TEXT NOT NULL DEFAULT '';
	ALTER TABLE bookings ADD COLUMN owner TEXT NOT NULL DEFAULT '';
	UPDATE bookings SET pending = 1 WHERE status = 'walk_in' AND id IN
		(SELECT booking_id FROM events WHERE note = 'walk-in' AND synced = 0);
	CREATE INDEX bookings_pending ON bookings (pending) WHERE pending = 1;
	-- The hub link of before enrolment strings: an address and a token in
	-- clear, without the hub's fingerprint. Such a counter is enrolled again.
	DELETE FROM settings WHERE key IN ('hub_url', 'hub_token');`,

	// 7: the seeds' rules (issue 14). A booking knows the card applied for
	// (CEI, CIS or CIP) and the other office chosen for its pickup; the
	// clerk may refuse a person with a reason (missing documents, data that
	// does not match), which cancels the booking: the log is copied into a
	// table that allows the new event type, keeping every event and its seq.
	`ALTER TABLE bookings ADD COLUMN document TEXT NOT NULL DEFAULT '';
	ALTER TABLE bookings ADD COLUMN pickup_office TEXT NOT NULL DEFAULT '';
	CREATE TABLE events_v7 (
		seq         INTEGER PRIMARY KEY AUTOINCREMENT,
		id          TEXT NOT NULL UNIQUE,
		booking_id  TEXT NOT NULL,
		type        TEXT NOT NULL CHECK (type IN ('arrived', 'no_show', 'picked_up', 'undone', 'called', 'served', 'refused')),
		at          INTEGER NOT NULL,
		counter     TEXT NOT NULL,
		clerk       TEXT NOT NULL,
		undoes      TEXT,
		note        TEXT NOT NULL DEFAULT '',
		received_at INTEGER,
		synced      INTEGER NOT NULL DEFAULT 0,
		parked      TEXT NOT NULL DEFAULT ''
	);
	INSERT INTO events_v7 (seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced, parked)
		SELECT seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced, parked FROM events;
	DROP TABLE events;
	ALTER TABLE events_v7 RENAME TO events;
	CREATE INDEX events_booking ON events (booking_id, seq);
	CREATE INDEX events_outbox ON events (synced, seq);`,

	// 8: the citizen's side (issue 12), at the hub. A request knows the
	// e-mail address its confirmation goes to and the site's language; a
	// confirmed booking keeps them, with the hash of its cancel token, in
	// contacts (the counters never see them); a confirmed request remembers
	// its booking until it lapses, so that confirming twice shows the same
	// booking. Every e-mail waits in mail_outbox until the mail server took
	// it or it is worth nothing any more: retried with back-off, deleted once
	// sent or expired.
	`ALTER TABLE requests ADD COLUMN email TEXT NOT NULL DEFAULT '';
	ALTER TABLE requests ADD COLUMN lang TEXT NOT NULL DEFAULT '';
	ALTER TABLE requests ADD COLUMN booking_id TEXT NOT NULL DEFAULT ''; -- once confirmed, until it lapses
	CREATE INDEX requests_slot ON requests (slot_start, kind);
	CREATE INDEX requests_person ON requests (person);
	CREATE TABLE contacts (
		booking_id  TEXT PRIMARY KEY,
		email       TEXT NOT NULL,
		lang        TEXT NOT NULL DEFAULT '',
		cancel_hash TEXT NOT NULL UNIQUE
	);
	CREATE TABLE mail_outbox (
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		recipient  TEXT NOT NULL,
		message    BLOB NOT NULL, -- the whole RFC 5322 message
		created_at INTEGER NOT NULL,
		attempts   INTEGER NOT NULL DEFAULT 0,
		next_at    INTEGER NOT NULL,
		last_error TEXT NOT NULL DEFAULT '',
		expires_at INTEGER NOT NULL DEFAULT 0 -- not worth sending after (0: always)
	);
	CREATE INDEX mail_outbox_due ON mail_outbox (next_at);`,

	// 9: ticket numbers (issue 13). An arrival's event carries the ticket
	// the person was given (D-017), so that every counter and the hub show
	// the same one. A counter hands out numbers from blocks the hub leased
	// it (ticket_blocks: the numbers not given yet), or, when it has none
	// left and no hub, from the range its desk index reserves; the hub keeps
	// the next number to lease of each office's day and kind (ticket_next)
	// and one small index per desk (desk_index).
	`ALTER TABLE events ADD COLUMN ticket TEXT NOT NULL DEFAULT '';
	CREATE TABLE ticket_blocks (
		day    TEXT NOT NULL,
		letter TEXT NOT NULL,
		next   INTEGER NOT NULL, -- the next number to give
		last   INTEGER NOT NULL, -- the block's last number
		PRIMARY KEY (day, letter, next)
	);
	CREATE TABLE ticket_next (
		office TEXT NOT NULL,
		day    TEXT NOT NULL,
		letter TEXT NOT NULL,
		next   INTEGER NOT NULL,
		PRIMARY KEY (office, day, letter)
	);
	CREATE TABLE desk_index (
		counter TEXT PRIMARY KEY,
		idx     INTEGER NOT NULL UNIQUE
	);`,

	// 10: the citizen's side, against abuse (issue 12): an e-mail address
	// is stored in lower case and counted (store.MaxPerAddress), and a
	// contact remembers when it was last told that someone asked again
	// for its person (store.NoticeEvery).
	`UPDATE contacts SET email = lower(email);
	UPDATE requests SET email = lower(email);
	ALTER TABLE contacts ADD COLUMN noticed_at INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX contacts_email ON contacts (email);
	CREATE INDEX requests_email ON requests (email);`,

	// 11: a call can be repeated (issue 13): the log is copied, every
	// event with its seq, into a table whose type may be 'recalled'.
	`CREATE TABLE events_v11 (
		seq         INTEGER PRIMARY KEY AUTOINCREMENT,
		id          TEXT NOT NULL UNIQUE,
		booking_id  TEXT NOT NULL,
		type        TEXT NOT NULL CHECK (type IN ('arrived', 'no_show', 'picked_up', 'undone', 'called', 'served', 'refused', 'recalled')),
		at          INTEGER NOT NULL,
		counter     TEXT NOT NULL,
		clerk       TEXT NOT NULL,
		undoes      TEXT,
		note        TEXT NOT NULL DEFAULT '',
		received_at INTEGER,
		synced      INTEGER NOT NULL DEFAULT 0,
		parked      TEXT NOT NULL DEFAULT '',
		ticket      TEXT NOT NULL DEFAULT ''
	);
	INSERT INTO events_v11 (seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced, parked, ticket)
		SELECT seq, id, booking_id, type, at, counter, clerk, undoes, note, received_at, synced, parked, ticket FROM events;
	DROP TABLE events;
	ALTER TABLE events_v11 RENAME TO events;
	CREATE INDEX events_booking ON events (booking_id, seq);
	CREATE INDEX events_outbox ON events (synced, seq);`,

	// 12: a request's confirmation e-mail knows its request (issue 12), so
	// that a request replaced before its e-mail went out takes it along.
	`ALTER TABLE mail_outbox ADD COLUMN request TEXT NOT NULL DEFAULT '';
	CREATE INDEX mail_outbox_request ON mail_outbox (request) WHERE request != '';`,
}

// migrate applies the migrations the database has not seen, up to version
// upTo, each in its own transaction together with the version bump.
func (db *DB) migrate(ctx context.Context, upTo int) error {
	var version int
	if err := db.sql.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program (%d): upgrade Ghișeu", version, len(migrations))
	}
	for v := version; v < upTo; v++ {
		err := db.tx(ctx, func(t *sql.Tx) error {
			if _, err := t.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := t.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
	}
	return nil
}

// SchemaVersion is the database's schema version.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.sql.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v)
	return v, err
}
