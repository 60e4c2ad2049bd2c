package workbook

import (
	"strconv"
	"time"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// Dates and times are written as Excel dates (numbers with a date format),
// showing the campaign zone's wall clock: Excel has no zones, and excelize
// counts from a UTC epoch, so the wall clock is carried over as UTC.

// excelTime is t's wall clock in the campaign's zone, as Excel shows it.
func (e *exporter) excelTime(t time.Time) time.Time {
	l := t.In(e.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// timeCell is a date-and-time cell (empty for the zero time).
func (e *exporter) timeCell(t time.Time) any {
	if t.IsZero() {
		return cell(e.st.text, "")
	}
	return cell(e.st.dateTime, e.excelTime(t))
}

// dateCell is an activity day (2006-01-02, as recorded) as a date cell;
// text that is not a date stays text.
func (e *exporter) dateCell(day string, style int) any {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return cell(e.st.text, day)
	}
	return cell(style, d)
}

// late reports whether a record came in after its task's deadline (the
// record's creation on the campaign clock). Nominations carry their own
// flag (ledger.Nomination.Late).
func late(c *campaign.Campaign, t campaign.Task, r *store.Record) bool {
	d, ok := c.Deadline(taskDeadline(c, t))
	return ok && r.CreatedAt.After(d.Time)
}

// keyField is a task's key number: its first whole-number field (参与人数,
// 参演人数…), the one 汇总 shows next to the date. ok is false for a task
// without one.
func keyField(t campaign.Task) (campaign.Field, bool) {
	for _, f := range t.Fields {
		if f.Type == campaign.FieldInt {
			return f, true
		}
	}
	return campaign.Field{}, false
}

// keySum adds up the key number over records (0, false when none gave it).
func keySum(t campaign.Task, recs []*store.Record, pays map[string]ledger.Confirmation) (int, bool) {
	f, ok := keyField(t)
	if !ok {
		return 0, false
	}
	sum, any := 0, false
	for _, r := range recs {
		if n, err := strconv.Atoi(pays[r.ID].Fields[f.ID]); err == nil {
			sum += n
			any = true
		}
	}
	return sum, any
}
