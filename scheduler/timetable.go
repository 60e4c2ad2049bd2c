package scheduler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"firebot/campaign"
	"firebot/config"
)

// ErrBadPlan is returned by NewTimetable and New for a plan that cannot be
// scheduled; Check lists every such mistake.
var ErrBadPlan = errors.New("scheduler: bad reminder plan")

// maxDefer bounds how far quiet hours can push a fire (a day at most).
const maxDefer = 24 * time.Hour

// Fire is one planned sending of a plan.
type Fire struct {
	Plan    string    // plan id
	Nominal time.Time // the time the plan names, in the configured location
	// At is when the fire is due: Nominal, or the end of quiet hours when it
	// was deferred.
	At       time.Time
	Deferred bool // moved out of quiet hours
	// LastDay: the plan counts from a deadline and the fire is on that
	// deadline's last day. Such fires reach muted groups and are never
	// deferred past the deadline.
	LastDay bool
	// Late is set by the runner for a fire sent after downtime (补发).
	Late bool

	index int       // plan position in the configuration, for ordering
	orig  time.Time // a held late fire: the At it was missed at
}

// Due is when the fire was due: At, or for a late fire held until quiet
// hours end, the time it was missed at.
func (f Fire) Due() time.Time {
	if !f.orig.IsZero() {
		return f.orig
	}
	return f.At
}

// anchor is what a plan counts from: a deadline, an event, or nothing.
type anchor struct {
	deadline *campaign.Deadline
	event    *campaign.Event
}

func (a anchor) time() time.Time {
	switch {
	case a.deadline != nil:
		return a.deadline.Time
	case a.event != nil:
		return a.event.Time
	}
	return time.Time{}
}

// id is "deadline id" or "event id", or "".
func (a anchor) id() string {
	switch {
	case a.deadline != nil:
		return a.deadline.ID
	case a.event != nil:
		return a.event.ID
	}
	return ""
}

// plan is a configured plan made ready to schedule.
type plan struct {
	index    int
	cfg      config.Plan
	anchor   anchor
	fixed    []time.Time   // from offsets and at, sorted, unique
	cron     cron.Schedule // or nil
	from, to time.Time     // window, inclusive; zero means open
}

// Timetable answers when every configured plan fires. It is pure: it reads
// no clock and no store.
type Timetable struct {
	loc       *time.Location
	notBefore time.Time // 00:00 of the announcement day
	quiet     config.QuietHours
	plans     []*plan
	byID      map[string]*plan
}

// NewTimetable compiles cfg.Reminders.Plans. A plan with mistakes gives an
// error wrapping ErrBadPlan that names the first one (Check lists all).
func NewTimetable(cfg *config.Config) (*Timetable, error) {
	tt, problems := compile(cfg)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrBadPlan, problems[0])
	}
	return tt, nil
}

// problem is a mistake in one plan: its key path and a Chinese message.
type problem struct{ path, msg string }

func (p problem) String() string { return p.path + ": " + p.msg }

func compile(cfg *config.Config) (*Timetable, []problem) {
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	tt := &Timetable{loc: loc, quiet: cfg.Reminders.QuietHours, byID: map[string]*plan{}}
	if a := cfg.Campaign.Announced; !a.IsZero() {
		a = a.In(loc)
		tt.notBefore = time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, loc)
	}
	var problems []problem
	for i, pc := range cfg.Reminders.Plans {
		p, ps := compilePlan(cfg, loc, i, pc)
		problems = append(problems, ps...)
		if p != nil {
			tt.plans = append(tt.plans, p)
			tt.byID[p.cfg.ID] = p
		}
	}
	problems = append(problems, checkAudiences(cfg)...)
	return tt, problems
}

func compilePlan(cfg *config.Config, loc *time.Location, i int, pc config.Plan) (*plan, []problem) {
	path := fmt.Sprintf("reminders.plans[%d]", i)
	var ps []problem
	bad := func(p, format string, args ...any) { ps = append(ps, problem{p, fmt.Sprintf(format, args...)}) }
	p := &plan{index: i, cfg: pc}
	if pc.Deadline != "" {
		if d, ok := cfg.Campaign.Deadline(pc.Deadline); ok {
			d.Time = d.Time.In(loc)
			p.anchor.deadline = &d
		} else {
			bad(path+".deadline", "未知的截止项 %q", pc.Deadline)
		}
	}
	if pc.Event != "" {
		if e, ok := cfg.Campaign.Event(pc.Event); ok {
			e.Time = e.Time.In(loc)
			p.anchor.event = &e
		} else {
			bad(path+".event", "未知的活动 %q", pc.Event)
		}
	}
	if pc.Deadline != "" && pc.Event != "" {
		bad(path, "deadline 和 event 只能填一个")
	}
	hasFixed := len(pc.Offsets) > 0 || len(pc.At) > 0
	switch {
	case hasFixed && pc.Cron != "":
		bad(path+".cron", "cron 与 offsets/at 只能选一种")
	case !hasFixed && pc.Cron == "":
		bad(path, "需要 offsets、at 或 cron 之一，才知道什么时候提醒")
	}
	at := p.anchor.time()
	if len(pc.Offsets) > 0 && at.IsZero() && pc.Deadline == "" && pc.Event == "" {
		bad(path+".offsets", "offsets 是相对截止项或活动的提前量，需要同时填写 deadline 或 event")
	}
	for j, s := range pc.Offsets {
		o, err := parseOffset(s)
		if err != nil {
			bad(fmt.Sprintf("%s.offsets[%d]", path, j), "无法解析提前量 %q（例如 -1d@09:00 表示前一天 09:00，0d@15:00 表示当天 15:00，-2h 表示提前 2 小时）", s)
			continue
		}
		if at.IsZero() {
			continue
		}
		t := o.apply(at)
		if t.After(at) {
			bad(fmt.Sprintf("%s.offsets[%d]", path, j), "提前量 %q 落在 %s 之后，提醒必须在截止或活动之前", s, at.Format("2006-01-02 15:04"))
			continue
		}
		p.fixed = append(p.fixed, t)
	}
	for j, s := range pc.At {
		t, _, err := campaign.ParseTime(s, loc, campaign.StartOfDay)
		if err != nil {
			bad(fmt.Sprintf("%s.at[%d]", path, j), "无法解析时间 %q（例如 2023-11-08 16:00）", s)
			continue
		}
		p.fixed = append(p.fixed, t.In(loc))
	}
	p.fixed = sortUnique(p.fixed)
	if spec := strings.TrimSpace(pc.Cron); spec != "" {
		switch {
		case strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ="):
			bad(path+".cron", "cron 表达式不要写时区，按配置的 timezone 解释")
		case strings.HasPrefix(spec, "@every"):
			bad(path+".cron", "不支持 @every，请写成 5 段 cron 表达式（分 时 日 月 周）")
		default:
			sch, err := cron.ParseStandard(spec)
			if err != nil {
				bad(path+".cron", "无法解析 cron 表达式 %q（5 段：分 时 日 月 周，例如 \"0 9 * * 1-5\"）：%v", spec, err)
			} else {
				p.cron = sch
			}
		}
	}
	if pc.From != "" {
		t, _, err := campaign.ParseTime(pc.From, loc, campaign.StartOfDay)
		if err != nil {
			bad(path+".from", "无法解析时间 %q", pc.From)
		}
		p.from = t.In(loc)
	}
	if pc.To != "" {
		t, _, err := campaign.ParseTime(pc.To, loc, campaign.EndOfDay)
		if err != nil {
			bad(path+".to", "无法解析时间 %q", pc.To)
		}
		p.to = t.In(loc)
	}
	if !p.from.IsZero() && !p.to.IsZero() && p.to.Before(p.from) {
		bad(path+".to", "结束时间早于开始时间")
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return p, nil
}

func sortUnique(ts []time.Time) []time.Time {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	out := ts[:0]
	for i, t := range ts {
		if i == 0 || !t.Equal(out[len(out)-1]) {
			out = append(out, t)
		}
	}
	return out
}

// Location is the timezone fire times are read in.
func (tt *Timetable) Location() *time.Location { return tt.loc }

// Fires lists every fire due (At, after quiet-hours deferral) in [from, to),
// ordered by At, then plan order in the configuration.
func (tt *Timetable) Fires(from, to time.Time) []Fire {
	var out []Fire
	for _, p := range tt.plans {
		for _, n := range tt.nominal(p, from.Add(-maxDefer), to) {
			f := tt.fire(p, n)
			if !f.At.Before(from) && f.At.Before(to) {
				out = append(out, f)
			}
		}
	}
	sortFires(out)
	return out
}

// PlanFires lists the fires of one plan in [from, to).
func (tt *Timetable) PlanFires(id string, from, to time.Time) []Fire {
	var out []Fire
	for _, f := range tt.Fires(from, to) {
		if f.Plan == id {
			out = append(out, f)
		}
	}
	return out
}

// Next returns the first fire due strictly after t.
func (tt *Timetable) Next(t time.Time) (Fire, bool) {
	from := t.Add(time.Nanosecond)
	for _, h := range []time.Duration{time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 62 * 24 * time.Hour, 366 * 24 * time.Hour, 3660 * 24 * time.Hour} {
		if fs := tt.Fires(from, from.Add(h)); len(fs) > 0 {
			return fs[0], true
		}
	}
	return Fire{}, false
}

func sortFires(fs []Fire) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		if a.index != b.index {
			return a.index < b.index
		}
		return a.Nominal.Before(b.Nominal)
	})
}

// nominal lists p's planned times in [from, to), inside its window and not
// before the announcement day.
func (tt *Timetable) nominal(p *plan, from, to time.Time) []time.Time {
	lo := from
	if lo.Before(tt.notBefore) {
		lo = tt.notBefore
	}
	if lo.Before(p.from) {
		lo = p.from
	}
	inWindow := func(t time.Time) bool {
		return !t.Before(lo) && t.Before(to) && (p.to.IsZero() || !t.After(p.to))
	}
	var out []time.Time
	for _, t := range p.fixed {
		if inWindow(t) {
			out = append(out, t)
		}
	}
	if p.cron != nil {
		for t := p.cron.Next(lo.In(tt.loc).Add(-time.Nanosecond)); !t.IsZero() && inWindow(t); t = p.cron.Next(t) {
			out = append(out, t)
		}
	}
	return out
}

// fire applies quiet hours to the nominal time n of p.
func (tt *Timetable) fire(p *plan, n time.Time) Fire {
	f := Fire{Plan: p.cfg.ID, Nominal: n, At: n, index: p.index}
	if d := p.anchor.deadline; d != nil {
		dy, dm, dd := d.Time.Date()
		y, m, day := n.Date()
		f.LastDay = y == dy && m == dm && day == dd && !n.After(d.Time)
	}
	if at, ok := tt.deferred(p, n); ok {
		f.At, f.Deferred = at, true
	}
	return f
}

// deferred moves t out of quiet hours unless the plan is urgent or the move
// would pass the plan's deadline or event.
func (tt *Timetable) deferred(p *plan, t time.Time) (time.Time, bool) {
	if p.cfg.Urgent || !tt.quiet.Enabled() || !tt.quiet.Contains(t) {
		return t, false
	}
	d := tt.quiet.Until(t)
	if a := p.anchor.time(); !a.IsZero() && !d.Before(a) {
		return t, false
	}
	return d, !d.Equal(t)
}
