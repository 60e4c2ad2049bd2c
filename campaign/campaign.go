package campaign

import (
	"slices"
	"time"
)

// Campaign is one publicity campaign, e.g. the 2023 "119" fire-safety month.
type Campaign struct {
	ID        string    `yaml:"id"` // e.g. "2023-119"
	Name      string    `yaml:"name"`
	Organiser string    `yaml:"organiser"` // who issued the notice, e.g. 上清寺街道办事处
	Occasion  string    `yaml:"occasion"`  // e.g. 第32个全国消防日
	Theme     string    `yaml:"theme"`
	Slogan    string    `yaml:"slogan"`
	Announced time.Time `yaml:"announced"` // the notice's date
	Period    Period    `yaml:"period"`

	Events    []Event    `yaml:"events"`
	Deadlines []Deadline `yaml:"deadlines"`
	Tasks     []Task     `yaml:"tasks"`
	// Nomination is nil when the campaign has no volunteer nominations.
	Nomination *Nomination `yaml:"nomination"`
	Contacts   []Contact   `yaml:"contacts"`
}

// Period is an inclusive time range: a bare end date in the configuration
// means the end of that day.
type Period struct {
	Start time.Time `yaml:"start"`
	End   time.Time `yaml:"end" date:"end"`
}

// Contains reports whether Start <= t <= End.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && !t.After(p.End)
}

// IsZero reports whether neither bound is set.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// Event is a fixed happening, e.g. the main publicity event.
type Event struct {
	ID    string    `yaml:"id"`
	Name  string    `yaml:"name"`
	Time  time.Time `yaml:"time"`
	Place string    `yaml:"place"`
}

// Cover values of Deadline.Covers besides task ids.
const (
	CoversNomination = "nomination" // volunteer nominations
	CoversReport     = "report"     // activity reports (the tasks whose Deadline is this one)
)

// Deadline is a due time something must be submitted by.
type Deadline struct {
	ID    string    `yaml:"id"`
	Title string    `yaml:"title"`
	Time  time.Time `yaml:"time" date:"end"`
	// DateOnly is true when the configuration gave a bare date: Time is then
	// 23:59:59 of that day and messages should show the date alone.
	DateOnly bool `yaml:"-"`
	// Covers says what is due: CoversNomination, CoversReport or task ids.
	Covers []string `yaml:"covers"`
	Note   string   `yaml:"note"`
}

// CoversNomination reports whether nominations are due at d.
func (d Deadline) CoversNomination() bool { return d.covers(CoversNomination) }

func (d Deadline) covers(s string) bool { return slices.Contains(d.Covers, s) }

// Contact is someone units can call or write to.
type Contact struct {
	Name    string `yaml:"name"`
	Phone   string `yaml:"phone"`
	Mailbox string `yaml:"mailbox"`
	Role    string `yaml:"role"`
}

// Deadline returns the deadline with the given id.
func (c *Campaign) Deadline(id string) (Deadline, bool) {
	for _, d := range c.Deadlines {
		if d.ID == id {
			return d, true
		}
	}
	return Deadline{}, false
}

// DeadlineByTitle returns the deadline with the given title.
func (c *Campaign) DeadlineByTitle(title string) (Deadline, bool) {
	for _, d := range c.Deadlines {
		if d.Title == title {
			return d, true
		}
	}
	return Deadline{}, false
}

// Event returns the event with the given id.
func (c *Campaign) Event(id string) (Event, bool) {
	for _, e := range c.Events {
		if e.ID == id {
			return e, true
		}
	}
	return Event{}, false
}

// Task returns the task with the given id.
func (c *Campaign) Task(id string) (Task, bool) {
	for _, t := range c.Tasks {
		if t.ID == id {
			return t, true
		}
	}
	return Task{}, false
}

// TasksFor returns the tasks that apply to u, in configuration order.
func (c *Campaign) TasksFor(u Unit) []Task {
	var out []Task
	for _, t := range c.Tasks {
		if t.AppliesToUnit(u) {
			out = append(out, t)
		}
	}
	return out
}

// TaskDeadline returns the deadline a task's reports are due by.
func (c *Campaign) TaskDeadline(t Task) (Deadline, bool) { return c.Deadline(t.Deadline) }

// NominationExpected reports whether u is asked for volunteer nominations.
func (c *Campaign) NominationExpected(u Unit) bool {
	return c.Nomination != nil && c.Nomination.AppliesTo.Matches(u)
}
