package ledger

import (
	"fmt"

	"firebot/chart"
)

// Tally totals the progress of a group of units: one line of a street's
// 统计 (a sector, a category) or of the district's (a street, a kind).
type Tally struct {
	Label       string
	Units       int // units with something to do
	Done        int // applicable tasks done (不适用 counts as done)
	Applicable  int
	Nominations int // active nominations received
	Nominators  int // units that nominated
	ExpectNom   int // units asked to nominate
	Nothing     int // units with nothing reported at all
}

// Counted reports whether a unit takes part in statistics: it has a task
// to do or is asked to nominate.
func Counted(p UnitProgress) bool {
	_, applicable := p.DoneCount()
	return applicable > 0 || p.NominationExpected
}

// Add counts one unit's progress.
func (t *Tally) Add(p UnitProgress) {
	done, applicable := p.DoneCount()
	t.Units++
	t.Done += done
	t.Applicable += applicable
	t.Nominations += len(p.Nominations)
	if p.NominationExpected {
		t.ExpectNom++
		if len(p.Nominations) > 0 {
			t.Nominators++
		}
	}
	if !p.Reported() {
		t.Nothing++
	}
}

// Merge adds another tally's counts (its label is not taken).
func (t *Tally) Merge(o Tally) {
	t.Units += o.Units
	t.Done += o.Done
	t.Applicable += o.Applicable
	t.Nominations += o.Nominations
	t.Nominators += o.Nominators
	t.ExpectNom += o.ExpectNom
	t.Nothing += o.Nothing
}

// Line is the tally as one line of 统计, e.g.
// "北片板块：完成3/6项（50%），推荐1份（1/2个单位），1个单位未报任何内容".
func (t Tally) Line() string {
	s := fmt.Sprintf("%s：完成%d/%d项（%s）", t.Label, t.Done, t.Applicable, Percent(t.Done, t.Applicable))
	if t.ExpectNom > 0 {
		s += fmt.Sprintf("，推荐%d份（%d/%d个单位）", t.Nominations, t.Nominators, t.ExpectNom)
	}
	if t.Nothing > 0 {
		s += fmt.Sprintf("，%d个单位未报任何内容", t.Nothing)
	}
	return s
}

// Percent is done/total as a whole percentage ("50%"), or "—" for nothing
// to do.
func Percent(done, total int) string {
	if total <= 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", chart.Percent(done, total))
}
