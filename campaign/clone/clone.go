package clone

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"firebot/campaign"
	"firebot/config"
)

// Errors returned by Year.
var (
	// ErrNotCampaign: the file has no campaign mapping with a readable date.
	ErrNotCampaign = errors.New("clone: not a campaign file")
	// ErrSameYear: the new year is the campaign's own year.
	ErrSameYear = errors.New("clone: the campaign already is of that year")
	// ErrYear: the year is out of range.
	ErrYear = errors.New("clone: year out of range")
)

// ReviewMark starts every comment the clone writes into the new file.
const ReviewMark = "复核："

// Change is one value the clone changed.
type Change struct {
	Line     int    // 1-based line in the file (the same in both files)
	Path     string // e.g. campaign.deadlines[2].time
	Old, New string
}

// Review is one place the clone marked for review with a comment.
type Review struct {
	Line int
	Path string
	Note string
}

// Result is a cloned file and what the clone did to it.
type Result struct {
	Data         []byte
	From, To     int // the campaign's year before and after
	OldID, NewID string
	Changes      []Change // in line order
	Reviews      []Review // in line order
	// CommentLines are the lines whose comments mention the old year:
	// comments are kept as written, so they may need a hand.
	CommentLines []int
}

// edit is what the clone does to one scalar node.
type edit struct {
	node  *yaml.Node
	path  string
	f     func(string) string // rewrites the value (and its raw text); nil: none
	want  string              // f(node.Value)
	notes []string
}

type cloner struct {
	loc    *time.Location
	delta  int
	years  map[int]bool // years the campaign's dates fall in
	to     int
	edits  []*edit
	byNode map[*yaml.Node]*edit
}

// Year clones a campaign file to year.
func Year(src []byte, year int) (*Result, error) {
	if year < 1000 || year > 9999 {
		return nil, fmt.Errorf("%w: %d", ErrYear, year)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("clone: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, ErrNotCampaign
	}
	root := doc.Content[0]
	camp := get(root, "campaign")
	if camp == nil || camp.Kind != yaml.MappingNode {
		return nil, ErrNotCampaign
	}
	c := &cloner{loc: location(root), to: year, years: map[int]bool{}, byNode: map[*yaml.Node]*edit{}}

	// The campaign's year is that of its period's start, else of its
	// announcement, else of its earliest date.
	var dates []scalar
	walk(root, "", func(s scalar) {
		if datePath.MatchString(s.path) {
			dates = append(dates, s)
		}
	})
	base, earliest := 0, 0
	for _, s := range dates {
		y, ok := c.dateYear(s.n.Value)
		if !ok {
			continue
		}
		c.years[y] = true
		if earliest == 0 || y < earliest {
			earliest = y
		}
		if s.path == "campaign.period.start" || (s.path == "campaign.announced" && base == 0) {
			base = y
		}
	}
	if base == 0 {
		base = earliest
	}
	if base == 0 {
		return nil, fmt.Errorf("%w: no date in campaign.period.start or campaign.announced", ErrNotCampaign)
	}
	if base == year {
		return nil, fmt.Errorf("%w: %d", ErrSameYear, year)
	}
	c.delta = year - base

	walk(root, "", c.plan)
	out, err := c.apply(src)
	if err != nil {
		return nil, err
	}
	if err := c.verify(&doc, out); err != nil {
		return nil, err
	}
	res := &Result{From: base, To: year}
	if id := get(camp, "id"); id != nil {
		res.OldID, res.NewID = id.Value, id.Value
		if e := c.byNode[id]; e != nil {
			res.NewID = e.want
		}
		// The same id would mix the new campaign's records with the old.
		if res.NewID == res.OldID {
			return nil, fmt.Errorf("clone: campaign.id %q (line %d) could not be changed", id.Value, id.Line)
		}
	}
	res.Data = out
	res.CommentLines = commentLines(src, c.years)
	for _, e := range c.edits {
		if e.f != nil && e.want != e.node.Value {
			res.Changes = append(res.Changes, Change{Line: e.node.Line, Path: e.path, Old: e.node.Value, New: e.want})
		}
		for _, n := range e.notes {
			res.Reviews = append(res.Reviews, Review{Line: e.node.Line, Path: e.path, Note: n})
		}
	}
	sort.SliceStable(res.Changes, func(i, j int) bool { return res.Changes[i].Line < res.Changes[j].Line })
	sort.SliceStable(res.Reviews, func(i, j int) bool { return res.Reviews[i].Line < res.Reviews[j].Line })
	return res, nil
}

// The paths of the campaign's calendar times.
var (
	datePath     = regexp.MustCompile(`^(campaign\.(announced|period\.(start|end)|events\[\d+\]\.time|deadlines\[\d+\]\.time|tasks\[\d+\]\.date_window\.(start|end))|reminders\.plans\[\d+\]\.(at(\[\d+\])?|from|to))$`)
	deadlinePath = regexp.MustCompile(`^campaign\.deadlines\[\d+\]\.time$`)
	eventPath    = regexp.MustCompile(`^campaign\.events\[\d+\]\.time$`)
)

// textKeys are the keys of free texts; contacts (people, phones,
// mailboxes) are not texts to rewrite.
var textKeys = map[string]bool{"name": true, "title": true, "note": true, "description": true,
	"organiser": true, "occasion": true, "theme": true, "slogan": true, "place": true,
	"conditions": true, "text": true, "label": true}

// isText reports a free text of the campaign or of a reminder plan.
func isText(path string) bool {
	key := path[strings.LastIndexByte(path, '.')+1:]
	if !textKeys[key] {
		return false
	}
	return (strings.HasPrefix(path, "campaign.") && !strings.HasPrefix(path, "campaign.contacts")) ||
		strings.HasPrefix(path, "reminders.plans[")
}

// plan decides what to do with one scalar.
func (c *cloner) plan(s scalar) {
	v := s.n.Value
	switch {
	case datePath.MatchString(s.path):
		y, ok := c.dateYear(v)
		if !ok {
			c.note(s, "无法识别的时间，未改动")
			return
		}
		_, _, note := c.move(y, v[5:7], v[8:10])
		e := c.rewrite(s, c.shiftLeading)
		if note != "" {
			e.notes = append(e.notes, note)
		}
		if deadlinePath.MatchString(s.path) || eventPath.MatchString(s.path) {
			if t, _, err := campaign.ParseTime(e.want, c.loc, campaign.StartOfDay); err == nil {
				if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
					what := "截止日"
					if eventPath.MatchString(s.path) {
						what = "活动日"
					}
					e.notes = append(e.notes, fmt.Sprintf("%s %s 是%s，未调整，请确认", what, t.Format("2006-01-02"), weekdayName[wd]))
				}
			}
		}
	case s.path == "campaign.id":
		e := c.rewrite(s, c.rewriteText)
		if e.want == v {
			suffix := "-" + strconv.Itoa(c.to)
			e.f = func(s string) string { return s + suffix }
			e.want = v + suffix
			e.notes = append(e.notes, "编号里没有年份，已在末尾加上 "+suffix[1:]+"，请确认")
		}
	case isText(s.path):
		e := c.rewrite(s, c.rewriteText)
		e.notes = append(e.notes, c.textNotes(v)...)
		if s.path == "campaign.name" && e.want == v {
			e.notes = append(e.notes, "名称里没有年份，未改动，请确认")
		}
		if len(e.notes) == 0 && e.want == v {
			c.drop(e)
		}
	default:
		if n := yearIn(v, c.years); n != 0 {
			c.note(s, fmt.Sprintf("含有 %d，不是活动的日期或文字，未改动，请确认", n))
		}
	}
}

// rewrite plans an edit of s by f.
func (c *cloner) rewrite(s scalar, f func(string) string) *edit {
	e := &edit{node: s.n, path: s.path, f: f, want: f(s.n.Value)}
	c.edits = append(c.edits, e)
	c.byNode[s.n] = e
	return e
}

// note marks s for review without changing it.
func (c *cloner) note(s scalar, text string) {
	e := &edit{node: s.n, path: s.path, want: s.n.Value, notes: []string{text}}
	c.edits = append(c.edits, e)
	c.byNode[s.n] = e
}

// drop forgets an edit that does nothing.
func (c *cloner) drop(e *edit) {
	c.edits = c.edits[:len(c.edits)-1]
	delete(c.byNode, e.node)
}

// dateYear reads the year of a configured time.
func (c *cloner) dateYear(v string) (int, bool) {
	if _, _, err := campaign.ParseTime(v, c.loc, campaign.StartOfDay); err != nil || len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return 0, false
	}
	y, err := strconv.Atoi(v[:4])
	return y, err == nil
}

// move moves a date to the new year: the same month and day, or 28
// February for a 29 February the new year does not have (with a note).
func (c *cloner) move(y int, m, d string) (int, string, string) {
	ny := y + c.delta
	if m == "02" && d == "29" && !leap(ny) {
		return ny, "28", fmt.Sprintf("%d 年没有 2 月 29 日，改为 2 月 28 日，请确认", ny)
	}
	return ny, d, ""
}

// shiftLeading moves the date a configured time starts with.
func (c *cloner) shiftLeading(v string) string {
	y, ok := c.dateYear(v)
	if !ok {
		return v
	}
	ny, d, _ := c.move(y, v[5:7], v[8:10])
	return fmt.Sprintf("%04d-%s-%s", ny, v[5:7], d) + v[10:]
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var weekdayName = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// location is the file's timezone, or the default one.
func location(root *yaml.Node) *time.Location {
	name := config.DefaultTimezone
	if tz := get(root, "timezone"); tz != nil && tz.Kind == yaml.ScalarNode && tz.Value != "" {
		name = tz.Value
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// scalar is a value scalar (not a key) and its path.
type scalar struct {
	n    *yaml.Node
	path string
}

// walk calls fn for every value scalar under n, aliases not followed.
func walk(n *yaml.Node, path string, fn func(scalar)) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, ch := range n.Content {
			p := path
			if n.Kind == yaml.SequenceNode {
				p = path + "[" + strconv.Itoa(i) + "]"
			}
			walk(ch, p, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if path != "" {
				k = path + "." + k
			}
			walk(n.Content[i+1], k, fn)
		}
	case yaml.ScalarNode:
		fn(scalar{n, path})
	}
}

// get returns the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// joinNotes is the comment text for several notes.
func joinNotes(notes []string) string { return ReviewMark + strings.Join(notes, "；") }
