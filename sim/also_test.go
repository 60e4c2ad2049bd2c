package sim_test

import (
	"context"
	"strings"
	"testing"

	"firebot/ledger"
	"firebot/sim"
	"firebot/store"
)

// One activity counts for every task it satisfies: a drill with a revised
// plan is ticked for the two other drill tasks on the checklist, shows
// under all three in 进度 and in the ledger's progress (which statistics,
// reminders and the export read), and 撤回 takes it off all three.
func TestOneActivityCountsForEveryTaskItSatisfies(t *testing.T) {
	s := readingSim(t)
	say := sayer(t, s, "chat_org_hotel_a", "jinbo")
	rep := say("上周五修订了酒店灭火和应急疏散预案，当天下午组织全员疏散演练，员工九十人参加")
	wants(t, rep, "项目：疏散演练及预案修订（三个一）", "预案修订情况：修订了酒店灭火和应急疏散预案", "参演人数：90",
		"这次活动也可以同时算作“疏散演练”、“全员应急疏散演练”", "都算")
	rep = say("确认，都算")
	wants(t, rep, "成功", "疏散演练及预案修订（三个一）（也算：疏散演练、全员应急疏散演练）")
	id := reHD.FindString(rep)
	for _, task := range []string{"疏散演练", "全员应急疏散演练", "疏散演练及预案修订（三个一）"} {
		wants(t, rep, "✅ "+task+"："+id)
	}
	prog := unitProgress(t, s, "org_hotel_a")
	for _, task := range []string{"evacuation_drill", "all_hands_drill", "drill_plan_update"} {
		if got := prog[task]; len(got) != 1 || got[0] != id {
			t.Fatalf("%s records %v, want [%s]", task, got, id)
		}
	}
	// 撤回 acts on the record, so on every task at once.
	rep = say("撤回 " + id)
	for i := 0; i < 2 && strings.Contains(rep, "吗"); i++ {
		rep = say("是")
	}
	wants(t, rep, "撤回")
	prog = unitProgress(t, s, "org_hotel_a")
	for _, task := range []string{"evacuation_drill", "all_hands_drill", "drill_plan_update"} {
		if len(prog[task]) != 0 {
			t.Fatalf("%s still has %v after 撤回", task, prog[task])
		}
	}
	// Ticking one task by name, in its own reply.
	say("上周五修订了酒店灭火和应急疏散预案，当天下午组织全员疏散演练，员工九十人参加")
	wants(t, say("也算全员应急疏散演练"), "项目：疏散演练及预案修订（三个一）（也算：全员应急疏散演练）")
	rep = say("好的")
	wants(t, rep, "成功")
	prog = unitProgress(t, s, "org_hotel_a")
	if len(prog["all_hands_drill"]) != 1 || len(prog["evacuation_drill"]) != 0 {
		t.Fatalf("progress %v", prog)
	}
}

// unitProgress is the ledger's progress of a unit: task id → record ids.
func unitProgress(t *testing.T, s *sim.Sim, unitID string) map[string][]string {
	t.Helper()
	u, ok := s.Config.Units.Unit(unitID)
	if !ok {
		t.Fatalf("unknown unit %s", unitID)
	}
	out := map[string][]string{}
	err := s.Service.Store.View(context.Background(), func(tx store.Tx) error {
		p, err := ledger.Of(tx, &s.Config.Campaign, u)
		for _, ts := range p.Tasks {
			for _, r := range ts.Records {
				out[ts.Task.ID] = append(out[ts.Task.ID], r.ID)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
