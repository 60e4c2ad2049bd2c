package store

// The buckets and counters of this package, in one place. Stored data
// depends on these names: never rename one. Composite keys join their parts
// with JoinKey; the comment after a bucket lists its key's parts.
//
// Packages that own data of their own (office, scheduler, ledger, archive,
// outbox, bot, service) name their buckets the same way, b<Name>, next to
// the code that reads them.
const (
	bUnits         = "unit"
	bUnitByOfficer = "unit_officer" // officer, unit

	bBindByChat = "bind_chat"   // chat, unit
	bBindByUnit = "bind_unit"   // unit, chat
	bWebhookKey = "webhook_key" // chat → the robot's webhook key
	bMeta       = "meta"        // name → value

	bRecords   = "rec"      // record id → Record
	bRecByUnit = "rec_unit" // campaign, unit, id
	bRecByUser = "rec_user" // campaign, reporter, id
	bRecByTime = "rec_time" // campaign, kind, created (sortable), id

	bOutbox      = "ob"     // id → OutboxEntry
	bOutboxByKey = "ob_key" // idempotency key → id
	bOutboxDue   = "ob_due" // due time, id (pending entries only)
	bOutboxBySrc = "ob_src" // source, id

	bAudit    = "audit"     // sequence (%020d) → AuditEntry
	bDialogs  = "dialog"    // chat, user → Dialog
	bLeases   = "lease"     // lease name → Lease
	bUserName = "user_name" // userid → UserName
)

// Counters (Tx.NextSeq names).
const (
	seqOutbox   = "outbox"
	seqAudit    = "audit"
	seqRecordsP = "record:" // counter name prefix, one per kind across campaigns
)
