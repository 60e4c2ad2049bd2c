package workbook

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/clock"
	"firebot/store"
	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

// wecomLookup is LookupName over a real client talking to the fake WeCom.
func wecomLookup(t *testing.T) (*fakewecom.Server, LookupName) {
	t.Helper()
	clk := clock.NewFake(exportNow)
	srv := fakewecom.New(fakewecom.Options{Real: clk})
	t.Cleanup(srv.Close)
	c := wecom.New(wecom.Options{BaseURL: srv.URL(), CorpID: srv.CorpID(), Secret: srv.Secret(), AgentID: srv.AgentID(), Real: clk})
	return srv, func(ctx context.Context, id string) (string, bool, error) {
		u, err := c.GetUser(ctx, id)
		if errors.Is(err, wecom.ErrUserNotVisible) {
			return "", true, nil
		}
		return u.Name, false, err
	}
}

// Every person column names people: the name recorded on the record, then
// the roster's, then WeCom's (user/get, cached in the store), the account
// as the last resort.
func TestNamesNotIDs(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The roster names one officer of 学田湾社区 (wangwu's unit keeps ids).
	err := f.st.Update(ctx, func(tx store.Tx) error {
		u, err := store.GetUnit(tx, "comm_niujiaotuo")
		if err != nil {
			return err
		}
		u.OfficerInfo = []campaign.Person{{ID: "wangwu", Name: "王五", Phone: "13800000005"}}
		return store.PutUnit(tx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, lookup := wecomLookup(t)
	srv.SetUser("zhujun", "朱军")
	srv.SetUser("zhaoliu", "赵六")
	srv.SetUser("sunqi", "孙七")
	srv.HideUser("sunqi") // outside the app's visible range: stays an id

	n, err := LearnNames(ctx, f.st, f.cfg, lookup, exportNow)
	if err != nil {
		t.Fatal(err)
	}
	// zhaoliu from WeCom; zhangsan and lisi as their callbacks recorded
	// them (张三, 李四); zhujun's was cached.
	if n != 3 {
		t.Errorf("learnt %d names, want 3", n)
	}
	asked := srv.CallCount("user/get")
	if _, err := LearnNames(ctx, f.st, f.cfg, lookup, exportNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if again := srv.CallCount("user/get"); again != asked {
		t.Errorf("second LearnNames asked WeCom %d more times; names (and hidden users) are cached", again-asked)
	}
	var hidden store.UserName
	_ = f.st.View(ctx, func(tx store.Tx) error { hidden, err = store.GetUserName(tx, "sunqi"); return err })
	if err != nil || !hidden.Hidden {
		t.Errorf("sunqi cached as %+v (%v), want hidden", hidden, err)
	}

	wb := export(t, f)
	d := rows(t, wb, SheetDetails)
	id := d.col(t, 0, "编号")
	school := d.find(id, f.school)[0]
	if got := at(school, d.col(t, 0, "代录人")); got != "朱军" {
		t.Errorf("代录人 %q, want 朱军 (from user/get)", got)
	}
	if got := at(school, d.col(t, 0, "上报人")); got != "何平" {
		t.Errorf("上报人 %q, want 何平 (as recorded)", got)
	}
	m := rows(t, wb, SheetMissing)
	unit, officers, note := m.col(t, 0, "单位名称"), m.col(t, 0, "安全员"), m.col(t, 0, "说明")
	want := map[string]string{
		"牛角沱社区": "王五 13800000005",    // roster
		"学田湾社区": "张三 13800000001、李四", // roster; lisi as HD-0002's callback named him
	}
	for u, w := range want {
		rs := m.find(unit, u)
		if len(rs) == 0 || at(rs[0], officers) != w {
			t.Errorf("%s 安全员 %q, want %q", u, rs, w)
		}
	}
	var sawZhaoliu, sawSunqi bool
	for _, r := range m {
		sawZhaoliu = sawZhaoliu || strings.Contains(at(r, officers), "赵六")
		sawSunqi = sawSunqi || at(r, officers) == "sunqi、zhouba"
		if strings.Contains(at(r, note), "已退回") && !strings.Contains(at(r, note), "（朱军）") {
			t.Errorf("returned by %q, want 朱军", at(r, note))
		}
	}
	if !sawZhaoliu || !sawSunqi {
		t.Errorf("安全员: zhaoliu named %v, hidden sunqi left as id %v", sawZhaoliu, sawSunqi)
	}
}
