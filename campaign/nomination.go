package campaign

// NomineeKind is what a volunteer nomination is for.
type NomineeKind string

// The nominee kinds.
const (
	NomineeIndividual NomineeKind = "个人" // 最美消防志愿个人
	NomineeCollective NomineeKind = "集体" // 最美消防志愿集体
)

// Valid reports whether k is a known nominee kind.
func (k NomineeKind) Valid() bool { return k == NomineeIndividual || k == NomineeCollective }

// Nomination holds the volunteer nomination rules (最美消防志愿者).
type Nomination struct {
	Title      string        `yaml:"title"`      // e.g. 最美消防志愿者
	AppliesTo  AppliesTo     `yaml:"applies_to"` // who is asked to nominate
	Kinds      []NomineeKind `yaml:"kinds"`
	Conditions string        `yaml:"conditions"` // eligibility, shown to nominators
	// Scopes: a nomination must fall under one of them.
	Scopes []Scope `yaml:"scopes"`
	// MinYears of fire-safety public service, "in principle".
	MinYears int `yaml:"min_years"`
	// DeedsLimit is the maximum length of the deeds account, in characters.
	DeedsLimit int `yaml:"deeds_limit"`
	// ChasedDeadline is the deadline id reminders chase (the earlier, safe one).
	ChasedDeadline string `yaml:"chased_deadline"`
	// LateAfter is the deadline id after which a nomination counts as late.
	LateAfter string `yaml:"late_after"`
}

// Scope is one nomination scope: a short label for buttons and lists and
// the full text of the rule.
type Scope struct {
	Label string `yaml:"label"`
	Text  string `yaml:"text"`
}
