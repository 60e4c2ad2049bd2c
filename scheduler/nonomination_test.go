package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/ledger"
	"firebot/store"
)

// A unit that recorded 本单位不推荐 has answered: nomination reminders pass
// it by.
func TestNoNominationIsAnswered(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(10, 26, 8, 0))
	s := f.scheduler(nil)
	f.step(s, at(10, 26, 10, 0))
	f.nominate("comm_a", "org_done")
	f.update(func(tx store.Tx) error {
		return ledger.MarkNotApplicable(tx, f.cfg.Campaign.ID, "comm_nochat", ledger.NotApplicable{
			TaskID: ledger.NoNominationTask, Reason: "本单位不推荐", By: "chener", At: f.campaign.Now()})
	})
	f.step(s, at(10, 26, 15, 0))
	if diff := cmp.Diff([]string{
		"nomination_chase:2023-10-26T15:00+08:00 webhook chat_school",
		"nomination_chase:2023-10-26T15:00+08:00 webhook chat_shared",
	}, targets(f.drain())); diff != "" {
		t.Errorf("pushes (-want +got):\n%s", diff)
	}
}
