// Package archive closes a campaign and keeps nominees' personal data no
// longer than needed.
//
// Every record carries its campaign's id (store.Record.CampaignID), and
// everything that reads records — progress, reminders, the export — reads
// those of the configured campaign.id only. So a store serves one campaign
// after another: archive this year's, put next year's id in the
// configuration, and the new campaign starts clean while the roster and
// the group bindings carry over.
//
// Archive marks the configured campaign archived in store meta
// ("archived:<id>"), in one unit of work with an audit entry. It refuses
// unless the campaign was exported (MarkExported, called by the export
// operation, sets "exported:<id>") and its last deadline has passed;
// Options.Force overrides both. From then on the campaign's records are
// read-only: before any change the chat layer asks CheckWritable (the
// service hands it to handlers.RefuseWrites), which answers ErrArchived,
// and tells the user handlers.ArchivedText. The refusals of Archive are a
// *Refusal; the command line says them in Chinese (refusalText).
//
// Redact is the retention rule (privacy.retention, default 180 days): once
// a campaign's last deadline is that long past on the campaign clock, the
// phone and the deeds of every one of its nominations are cleared and the
// payload marked Redacted (ledger.Nomination); everything else stays. It
// covers archived campaigns too — the one change an archive allows — and
// campaigns the configuration has moved on from, because every campaign
// Redact or Archive has seen is remembered with its last deadline in the
// bucket "archive_campaign". Each campaign changed gets one audit entry;
// a second run changes nothing. The service runs Redact daily and
// "firebot archive" (the admin operation OpArchive) runs it after
// archiving.
//
//	sum, err := archive.Archive(ctx, st, cfg, "cli:zhujun", archive.Options{Now: campaignClock.Now()})
//	red, err := archive.Redact(ctx, st, cfg, campaignClock.Now())
//
//	// in a chat handler, before changing a record:
//	if err := archive.CheckWritable(tx, rec.CampaignID); err != nil { … }
package archive
