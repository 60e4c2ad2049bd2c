package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/campaign"
	"firebot/chart"
	"firebot/config"
	"firebot/ledger"
	"firebot/logs"
	"firebot/store"
)

// Sheet names.
const (
	SheetSummary     = "汇总"
	SheetOverview    = "进度图表"
	SheetDetails     = "活动明细"
	SheetNominations = "志愿者推荐"
	SheetMissing     = "未完成清单"
	FormSheetPrefix  = "推荐表" // one sheet per nominee: 推荐表-TJ-0001-张三
)

// Task statuses shown in the summary.
const (
	StatusDone        = "已完成"
	StatusMissing     = "未完成"
	StatusNA          = "不适用" // marked by the office (不适用 command)
	StatusNotRequired = "—"   // the task is not asked of this kind of unit
)

// Errors.
var (
	// ErrExport wraps failures to build or write a workbook or zip.
	ErrExport = errors.New("workbook: export failed")
	// ErrTooLargeForChat: the workbook or the photos do not fit in the
	// files a chat reply may carry (see Build).
	ErrTooLargeForChat = errors.New("workbook: too large for chat")
)

// Options tune an export.
type Options struct {
	// Now is the campaign clock's time of the export, shown in titles.
	Now time.Time
	// Progress, when set, is called with units done and units in all.
	Progress func(done, total int)
	// TmpDir is where the spreadsheet library spills large sheets
	// (default: the system's temporary directory).
	TmpDir string
	// Logger receives warnings (unreadable photos…); nil discards.
	Logger *slog.Logger
}

func (o Options) logger() *slog.Logger { return logs.For(o.Logger, "workbook") }

func (o Options) progress(done, total int) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}

// Write writes the December 1 report of cfg's campaign as an Excel workbook
// to w. It reads one consistent snapshot of the store, one unit at a time;
// the sheets are streamed (large ones spill to temporary files), so memory
// does not grow with the number of records.
func Write(ctx context.Context, w io.Writer, st store.Store, cfg *config.Config, opts Options) error {
	var e *exporter
	err := st.View(ctx, func(tx store.Tx) error {
		if e != nil {
			e.close() // the view is being retried: start again
		}
		roster, err := rosterOf(tx, cfg)
		if err != nil {
			return err
		}
		e, err = newExporter(cfg, roster, opts)
		if err != nil {
			return err
		}
		return e.fill(ctx, tx)
	})
	if e != nil {
		defer e.close()
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	if err := e.finish(); err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	if _, err := e.f.WriteTo(w); err != nil {
		return fmt.Errorf("%w: write workbook: %w", ErrExport, err)
	}
	opts.progress(len(e.roster), len(e.roster))
	return nil
}

// rosterOf is the stored roster, or the configured one on a store that has
// never been seeded (the command line on a fresh data file).
func rosterOf(tx store.Tx, cfg *config.Config) (campaign.Roster, error) {
	r, err := store.Roster(tx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	if len(r) == 0 {
		r = cfg.Units
	}
	return r, nil
}

// exporter builds one workbook.
type exporter struct {
	cfg    *config.Config
	c      *campaign.Campaign
	loc    *time.Location
	roster campaign.Roster
	opts   Options
	f      *excelize.File
	st     styles

	sectorName map[string]string
	tally      *chart.Tally
	tx         store.Tx          // the snapshot being exported (during fill)
	cached     map[string]string // userid → name from the store ("" none)

	summary     *summarySheet
	details     *detailsSheet
	nominations *nominationSheet
	missing     *missingSheet

	// A street's part of a district workbook (WriteDistrict) has no
	// sheets of its own: street names the street, shown with every record
	// id; its summary only counts, and its nominations wait in found until
	// the street's view has been read in full.
	street string
	found  []nomination
}

// newExporter is the exporter of a street's own workbook, with its sheets.
func newExporter(cfg *config.Config, roster campaign.Roster, opts Options) (*exporter, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: opts.TmpDir})
	st, err := newBook(f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	e := newPart(cfg, roster, opts, f, st, "")
	if err := e.newSheets(); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

// newBook sets a new file's default font and makes its styles.
func newBook(f *excelize.File) (styles, error) {
	if err := f.SetDefaultFont(defaultFont); err != nil {
		return styles{}, err
	}
	return newStyles(f)
}

// newPart is an exporter of cfg's campaign writing into f without sheets
// of its own: newSheets adds a street workbook's; WriteDistrict uses it
// bare, as one street's part (street names it).
func newPart(cfg *config.Config, roster campaign.Roster, opts Options, f *excelize.File, st styles, street string) *exporter {
	loc := cfg.Location
	if loc == nil {
		loc = time.Local
	}
	e := &exporter{
		cfg: cfg, c: &cfg.Campaign, loc: loc, roster: roster, opts: opts, f: f, st: st, street: street,
		sectorName: map[string]string{},
		cached:     map[string]string{},
		tally:      chart.NewTally(roster),
	}
	for _, u := range roster {
		if u.Kind == campaign.KindSector {
			e.sectorName[u.ID] = u.Name
		}
	}
	e.summary = newSummaryCount(e)
	return e
}

// newSheets adds a street workbook's sheets.
func (e *exporter) newSheets() error {
	var err error
	if err := e.f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, name := range []string{SheetOverview, SheetDetails, SheetNominations, SheetMissing} {
		if _, err := e.f.NewSheet(name); err != nil {
			return err
		}
	}
	if e.summary, err = newSummarySheet(e); err != nil {
		return err
	}
	if e.details, err = newDetailsSheet(e); err != nil {
		return err
	}
	if e.nominations, err = newNominationSheet(e, false); err != nil {
		return err
	}
	e.missing, err = newMissingSheet(e)
	return err
}

// fill adds every unit of the roster.
func (e *exporter) fill(ctx context.Context, tx store.Tx) error {
	e.tx = tx
	defer func() { e.tx = nil }()
	return eachProgress(ctx, tx, e.c, e.roster, func(i int, u campaign.Unit, p ledger.UnitProgress) error {
		if err := e.addUnit(tx, p); err != nil {
			return fmt.Errorf("unit %s: %w", u.ID, err)
		}
		e.opts.progress(i+1, len(e.roster)+1)
		return nil
	})
}

// eachProgress calls fn with each unit of roster and its progress, in
// order, until fn fails or ctx is done.
func eachProgress(ctx context.Context, tx store.Tx, c *campaign.Campaign, roster campaign.Roster, fn func(i int, u campaign.Unit, p ledger.UnitProgress) error) error {
	for i, u := range roster {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := ledger.Of(tx, c, u)
		if err != nil {
			return fmt.Errorf("progress of %s: %w", u.ID, err)
		}
		if err := fn(i, u, p); err != nil {
			return err
		}
	}
	return nil
}

// included reports whether a unit has a line in the report: it owes
// something or reported something (sectors only group units).
func included(p ledger.UnitProgress) bool {
	return len(p.Tasks) > 0 || p.NominationExpected || p.Reported()
}

func (e *exporter) addUnit(tx store.Tx, p ledger.UnitProgress) error {
	if !included(p) {
		return nil
	}
	done, applicable := p.DoneCount()
	e.tally.Add(p.Unit, done, applicable)
	if p.NominationExpected {
		e.tally.AddNominations(p.Unit, len(p.Nominations))
	}

	// Decode each active confirmation once; the summary and the details
	// both read it.
	pays := map[string]ledger.Confirmation{}
	for _, t := range p.Tasks {
		for _, r := range append(append([]*store.Record(nil), t.Records...), t.Returned...) {
			c, err := ledger.DecodeConfirmation(r)
			if err != nil {
				e.opts.logger().Warn("unreadable record", "id", r.ID, "err", err)
			}
			pays[r.ID] = c
		}
	}
	if err := e.summary.add(p, pays); err != nil {
		return err
	}
	if e.details == nil { // a street's part of a district workbook
		for _, r := range p.Nominations {
			e.found = append(e.found, e.decodeNomination(r, p.Unit))
		}
		return nil
	}
	if err := e.details.add(p, pays); err != nil {
		return err
	}
	if err := e.nominations.add(p); err != nil {
		return err
	}
	var returnedNoms []*store.Record
	if p.OwesNomination() {
		recs, err := store.RecordsOfUnit(tx, e.c.ID, p.Unit.ID)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.Kind == store.KindNomination && r.Status == store.StatusReturned {
				returnedNoms = append(returnedNoms, r)
			}
		}
	}
	return e.missing.add(p, pays, returnedNoms)
}

// finish closes the streamed sheets and draws the overview.
func (e *exporter) finish() error {
	if err := e.summary.finish(); err != nil {
		return err
	}
	// Pictures before the flush: the stream writer writes the sheet's
	// drawing reference when it closes the sheet, not after.
	if err := placeThumbs(e.f, SheetDetails, e.details.thumbs); err != nil {
		return err
	}
	for _, s := range []*sheet{e.details.sheet, e.nominations.sheet, e.missing.sheet} {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if err := e.nominations.writeForms(); err != nil {
		return err
	}

	if err := e.overview(); err != nil {
		return err
	}
	// 汇总 (the renamed Sheet1) is the active sheet already. Do not call
	// SetActiveSheet: it parses every sheet back, streamed ones included,
	// which costs memory in proportion to the campaign.
	return e.f.SetDocProps(&excelize.DocProperties{
		Title:   e.title(),
		Creator: "firebot",
		Created: e.opts.Now.Format(time.RFC3339),
	})
}

func (e *exporter) close() { _ = e.f.Close() }

// title is the workbook's title.
func (e *exporter) title() string {
	return e.c.Name + "活动信息汇总"
}

// stamp is the export time line.
func (e *exporter) stamp() string {
	if e.opts.Now.IsZero() {
		return ""
	}
	return "导出时间：" + e.opts.Now.In(e.loc).Format("2006-01-02 15:04")
}

// sectorOf is the name of the unit's sector ("" when none).
func (e *exporter) sectorOf(u campaign.Unit) string {
	if u.Kind == campaign.KindSector {
		return u.Name
	}
	return e.sectorName[u.Sector]
}

// categoryOf is what the report calls the unit's kind: 社区, an
// organisation's category, or 板块.
func categoryOf(u campaign.Unit) string { return chart.CategoryOf(u) }

// when formats a campaign-clock time in the campaign's zone.
func (e *exporter) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(e.loc).Format("2006-01-02 15:04")
}

// deadlineText formats a deadline: the date alone for a bare date.
func (e *exporter) deadlineText(id string) string {
	d, ok := e.c.Deadline(id)
	if !ok {
		return ""
	}
	if d.DateOnly {
		return d.Time.In(e.loc).Format("2006-01-02")
	}
	return e.when(d.Time)
}
