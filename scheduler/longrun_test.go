package scheduler

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/ledger"
	"firebot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestLongRun steps the fake campaign clock hour by hour through the whole
// 2023 campaign of config.example.yaml (its plans and roster), adding
// nominations, reports, a returned report, a not-applicable mark and a
// muted group along the way, and compares every outbox entry enqueued with
// testdata/longrun.golden (go test -run LongRun -update rewrites it).
func TestLongRun(t *testing.T) {
	cfg := loadExample(t)
	f := newFixture(t, cfg, at(10, 26, 8, 0))
	s := f.scheduler(nil)

	actions := map[time.Time]func(){
		at(10, 26, 10, 0): func() { f.nominate("comm_xuetianwan", "org_school_a") },
		at(10, 26, 16, 0): func() {
			f.nominate("comm_niujiaotuo", "org_hospital_a", "org_hotel_a")
			f.update(func(tx store.Tx) error {
				return Mute(tx, &f.cfg.Campaign, "chat_org_ktv_a", "yanhua", f.campaign.Now())
			})
		},
		at(10, 27, 11, 0): func() {
			f.nominate("comm_shangqingsi", "comm_zengjiayan", "comm_meizhuanxiao", "org_school_b", "org_hospital_b", "org_complex_a")
		},
		at(10, 27, 16, 0): func() {
			f.nominate("comm_zhongsisilu", "comm_jiaxicun", "org_cinema_a", "org_hotel_b", "org_hazchem_a", "org_complex_b", "org_highrise_a")
		},
		at(10, 28, 12, 0): func() { f.nominate("org_highrise_b", "org_other_a") }, // late for the district, on time for the street
		at(11, 2, 15, 0):  func() { f.confirm("comm_xuetianwan", "theme_publicity", "atmosphere") },
		at(11, 6, 10, 0): func() {
			f.confirmAll("org_school_a")
			f.confirm("org_hotel_a", "theme_publicity", "evacuation_drill", "all_hands_drill")
		},
		at(11, 9, 12, 0): func() {
			for _, u := range []string{"comm_niujiaotuo", "comm_shangqingsi", "comm_zengjiayan"} {
				f.confirm(u, "theme_publicity", "four_ones")
			}
		},
		at(11, 14, 10, 0): func() {
			f.confirmAll("org_hospital_a")
			f.confirmAll("comm_xuetianwan")
			f.confirm("org_other_a", "theme_publicity")
		},
		at(11, 15, 14, 0): func() {
			f.update(func(tx store.Tx) error { // the office returns org_other_a's report
				recs, err := store.RecordsOfUnit(tx, cfg.Campaign.ID, "org_other_a")
				if err != nil {
					return err
				}
				for _, r := range recs {
					if r.Kind == store.KindConfirmation {
						r.Status = store.StatusReturned
						if err := store.PutRecord(tx, r); err != nil {
							return err
						}
					}
				}
				return nil
			})
		},
		at(11, 20, 9, 30): func() {
			f.update(func(tx store.Tx) error {
				return ledger.MarkNotApplicable(tx, cfg.Campaign.ID, "org_hazchem_b", ledger.NotApplicable{
					TaskID: "evacuation_drill", Reason: "区里另行安排", By: "zhujun", At: f.campaign.Now()})
			})
			f.confirmAll("org_hotel_a")
			f.confirmAll("comm_niujiaotuo")
		},
		at(11, 27, 11, 0): func() {
			for _, u := range []string{"org_school_b", "org_hospital_b", "org_complex_a", "org_complex_b", "comm_shangqingsi", "comm_zengjiayan"} {
				f.confirmAll(u)
			}
		},
		at(11, 29, 17, 0): func() {
			for _, u := range []string{"comm_meizhuanxiao", "comm_zhongsisilu", "comm_jiaxicun", "org_cinema_a", "org_hotel_b", "org_highrise_a", "org_highrise_b"} {
				f.confirmAll(u)
			}
		},
		at(12, 1, 12, 0): func() {
			f.confirmAll("org_hazchem_a")
			f.confirmAll("comm_guihuayuan")
			f.confirmAll("org_other_a")
			f.update(func(tx store.Tx) error { return Unmute(tx, "chat_org_ktv_a") })
		},
	}

	end := at(12, 1, 18, 0)
	for now := at(10, 26, 8, 0); !now.After(end); now = now.Add(30 * time.Minute) {
		f.step(s, now)
		if a, ok := actions[now]; ok {
			a()
			delete(actions, now)
		}
	}
	if len(actions) > 0 {
		t.Fatalf("%d actions not run (not on a step)", len(actions))
	}
	got := f.drain()

	var b strings.Builder
	seen := map[string]bool{}
	perSource := map[string]int{}
	for _, p := range got {
		b.WriteString("=== " + p.Key + " → " + p.Channel + " " + p.Target + "\n" + p.Content + "\n\n")
		if seen[p.Key] {
			t.Errorf("enqueued twice: %s", p.Key)
		}
		seen[p.Key] = true
		perSource[strings.TrimPrefix(p.Source, "reminder:")]++
		if strings.Contains(p.Content, "补发") {
			t.Errorf("marked 补发 without downtime: %s", p.Key)
		}
		// The muted group (from 10-26 16:00 to 12-01 12:00) hears only the
		// last days of deadlines.
		if p.Target == "chat_org_ktv_a" && !strings.Contains(p.Content, "今天截止") &&
			p.Source != "reminder:nomination_chase:2023-10-26T15:00+08:00" {
			t.Errorf("muted group reminded: %s", p.Key)
		}
	}
	golden := "testdata/longrun.golden"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("pushes differ from %s (-want +got):\n%s", golden, diff)
	}

	// The shape of it, independent of the wording.
	wantPerSource := map[string]int{
		// 23 units are asked to nominate, 2 did by 15:00: 19 groups and 2
		// units without a group (application messages).
		"nomination_chase:2023-10-26T15:00+08:00":    21,
		"nomination_chase:2023-10-27T09:00+08:00":    18, // the muted group too: last day
		"nomination_chase:2023-10-27T15:00+08:00":    12,
		"nomination_last_day:2023-10-28T09:00+08:00": 5,
		// The 21 bound groups but the muted one, and the 2 units without a
		// group by application message.
		"main_event_notice:2023-11-08T16:00+08:00": 22,
		"main_event_notice:2023-11-09T08:30+08:00": 22,
		"report_chase:2023-12-01T15:00+08:00":      2,
	}
	for src, n := range wantPerSource {
		if perSource[src] != n {
			t.Errorf("%s: %d pushes, want %d", src, perSource[src], n)
		}
	}
	if n := countPrefix(perSource, "office_digest:"); n != 23 {
		t.Errorf("%d digests, want 23", n)
	}
	if n := countPrefix(perSource, "friday_nudge:"); n != 4 {
		t.Errorf("%d Friday nudges, want 4", n)
	}
}

func countPrefix(m map[string]int, prefix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}
