package scheduler

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/config"
	"firebot/store"
)

func TestPlan(t *testing.T) {
	f := newFixture(t, smallConfig(t), at(11, 20, 10, 0))
	reportFixture(f)
	f.update(func(tx store.Tx) error { return Mute(tx, &f.cfg.Campaign, "chat_school", "heping", f.campaign.Now()) })
	s := f.scheduler(nil)
	rows, err := s.Plan(context.Background(), at(11, 23, 0, 0), at(11, 29, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %s %s units=%d targets=%d last=%v",
			r.At.Format("2006-01-02 15:04"), r.Plan, r.Anchor, r.Audience, r.Units, r.Targets, r.LastDay))
	}
	want := []string{
		"2023-11-23 09:00 office_digest report office units=4 targets=1 last=false",
		// The muted school is not counted.
		"2023-11-24 09:00 report_chase report missing units=3 targets=2 last=false",
		"2023-11-24 09:00 office_digest report office units=4 targets=1 last=false",
		"2023-11-24 16:00 friday_nudge report missing units=3 targets=2 last=false",
		"2023-11-27 09:00 office_digest report office units=4 targets=1 last=false",
		"2023-11-28 09:00 report_chase report missing units=3 targets=2 last=false",
		"2023-11-28 09:00 office_digest report office units=4 targets=1 last=false",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if out := f.drain(); len(out) != 0 {
		t.Errorf("a dry run enqueued %v", targets(out))
	}
}

func TestDryRunExample(t *testing.T) {
	cfg := loadExample(t)
	f := newFixture(t, cfg, at(10, 25, 9, 0))
	rows, err := DryRun(context.Background(), f.st, cfg, cfg.Campaign.Announced, at(12, 31, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3+1+2+5+23+4 {
		t.Errorf("%d rows, want 38", len(rows))
	}
	first := rows[0]
	if first.Plan != "nomination_chase" || first.Anchor != "nomination_district" || first.Units != 23 || first.Targets != 23 {
		t.Errorf("first row = %+v", first)
	}
	for _, r := range rows {
		if r.Plan == "main_event_notice" && (r.Units != 23 || r.Targets != 23 || r.Anchor != "main_event" || r.Audience != config.AudienceAllBound) {
			t.Errorf("event row = %+v", r)
		}
	}
	if audienceText(config.Audience{Type: config.AudienceSector, Sectors: []string{"a", "b"}, Tasks: []string{"x"}}) != "sector sectors=a,b tasks=x" {
		t.Error("audienceText")
	}
}
