package service

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/clock"
	"firebot/store"
	"firebot/store/embedded"
)

// countingStore counts the views opened on a street's store.
type countingStore struct {
	store.Store
	views atomic.Int64
}

func (c *countingStore) View(ctx context.Context, fn func(store.Tx) error) error {
	c.views.Add(1)
	return c.Store.View(ctx, fn)
}

// TestDiscoveryRemembered: a group no street has bound, where an officer
// of street b (by the configuration) chats, goes to b. The route index
// keeps nothing for it, so for discoveredTTL its next messages are not
// looked for again in every street; after that they are. A 绑定 is always
// looked for, and once it has placed the group the index answers.
func TestDiscoveryRemembered(t *testing.T) {
	r, counters, real := twoStreets(t)
	r.users["lisi"] = "b"
	views := func() int64 { return counters[0].views.Load() + counters[1].views.Load() }
	say := func(text string) string {
		m := &bot.Message{ChatType: bot.ChatGroup, ChatID: "new-group", SenderID: "lisi", Text: text}
		if _, err := r.route(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		return m.Street
	}
	for _, tc := range []struct {
		text    string
		advance time.Duration
		asked   bool // the streets' stores were asked
	}{
		{"进度", 0, true},
		{"帮助", time.Second, false},
		{"进度", discoveredTTL, true},
		{"绑定 学田湾社区", 0, true},
		{"进度", discoveredTTL, false},
	} {
		real.Advance(tc.advance)
		before := views()
		if got := say(tc.text); got != "b" {
			t.Errorf("%s: street %q, want b", tc.text, got)
		}
		if asked := views() > before; asked != tc.asked {
			t.Errorf("%s: streets asked %v, want %v", tc.text, asked, tc.asked)
		}
	}
}

// TestBindGoesByTheUnit: a 绑定 in a group not placed yet goes to the
// street of the unit it names, even when the route index already places
// the sender in another street.
func TestBindGoesByTheUnit(t *testing.T) {
	r, _, _ := twoStreets(t)
	ctx := context.Background()
	if err := r.district.Update(ctx, func(tx store.Tx) error {
		return tx.Put(bRouteUser, "wangwu", []byte("a"))
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ chat, text, want string }{
		{"g1", "进度", "a"},
		{"g2", "绑定 学田湾社区", "b"},
		{"g2", "进度", "b"},
	} {
		m := &bot.Message{ChatType: bot.ChatGroup, ChatID: tc.chat, SenderID: "wangwu", Text: tc.text}
		if _, err := r.route(ctx, m); err != nil {
			t.Fatal(err)
		}
		if m.Street != tc.want {
			t.Errorf("%s in %s: street %q, want %s", tc.text, tc.chat, m.Street, tc.want)
		}
	}
}

// twoStreets is a router over streets a and b on one embedded file; b has
// the unit 学田湾社区 whose officer is lisi.
func twoStreets(t *testing.T) (*router, []*countingStore, *clock.Fake) {
	t.Helper()
	real := clock.NewFake(time.Date(2023, 11, 20, 10, 0, 0, 0, time.UTC))
	root, err := embedded.Open(filepath.Join(t.TempDir(), "f.db"), embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	ctx := context.Background()
	r := &router{district: root.Street("district"), byID: map[string]*Service{}, real: real,
		chats: map[string]string{}, users: map[string]string{}, names: map[string]string{},
		staffChats: map[string]bool{}, staff: map[string]bool{}}
	var counters []*countingStore
	for _, id := range []string{"a", "b"} {
		st := &countingStore{Store: root.Street(id)}
		counters = append(counters, st)
		s := &Service{Store: st, opts: Options{part: &partOf{street: id}}}
		r.streets = append(r.streets, s)
		r.byID[id] = s
	}
	if err := counters[1].Store.Update(ctx, func(tx store.Tx) error {
		return store.PutUnit(tx, campaign.Unit{ID: "u1", Name: "学田湾社区", Kind: campaign.KindCommunity, Officers: []string{"lisi"}})
	}); err != nil {
		t.Fatal(err)
	}
	return r, counters, real
}
