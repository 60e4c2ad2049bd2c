package storetest

import (
	"fmt"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/store"
)

// campaignTests: one store serves one campaign after another (firebot
// campaign clone). Records are kept by campaign id; the roster and the
// group bindings belong to the store, not to a campaign.
var campaignTests = []Test{
	{"NextYearStartsEmptyAndKeepsBindings", testNextCampaign},
}

func testNextCampaign(t *testing.T, open Opener) {
	s, _ := openFresh(t, open)
	// The second id extends the first, as campaign clone makes it when the
	// old id has no year: no index of one may list the other's records.
	const last, next = "street-119", "street-119-2024"
	at := time.Date(2023, 11, 9, 10, 0, 0, 0, time.UTC)
	update(t, s, func(tx store.Tx) error {
		roster := campaign.Roster{{ID: "u1", Name: "学田湾社区", Kind: campaign.KindCommunity, Chats: []campaign.Chat{{ID: "g1"}}}}
		if _, err := store.SeedRoster(tx, roster, "config"); err != nil {
			return err
		}
		if err := store.Bind(tx, store.Binding{ChatID: "g2", UnitID: "u1", By: "zhang"}); err != nil {
			return err
		}
		r := &store.Record{Kind: store.KindConfirmation, CampaignID: last, UnitID: "u1", ReporterID: "zhang", CreatedAt: at}
		return store.PutRecord(tx, r)
	})
	// The next campaign starts: its roster seed is refused, its first record
	// takes the next id.
	update(t, s, func(tx store.Tx) error {
		if seeded, err := store.SeedRoster(tx, campaign.Roster{{ID: "u9", Name: "x", Kind: campaign.KindCommunity}}, "config"); seeded || err != nil {
			return fmt.Errorf("second seed: %v, %v", seeded, err)
		}
		r := &store.Record{Kind: store.KindConfirmation, CampaignID: next, UnitID: "u1", ReporterID: "zhang", CreatedAt: at.AddDate(1, 0, 0)}
		return store.PutRecord(tx, r)
	})
	view(t, s, func(tx store.Tx) error {
		for _, c := range []struct{ id, want string }{{last, "[HD-0001]"}, {next, "[HD-0002]"}} {
			byUnit, err1 := store.RecordsOfUnit(tx, c.id, "u1")
			byUser, err2 := store.RecordsOfReporter(tx, c.id, "zhang")
			var byTime []string
			err3 := store.EachRecord(tx, c.id, store.KindConfirmation, time.Time{}, at.AddDate(2, 0, 0), func(r *store.Record) error {
				byTime = append(byTime, r.ID)
				return nil
			})
			for _, got := range [][]string{ids(byUnit), ids(byUser), byTime} {
				if fmt.Sprint(got) != c.want {
					t.Errorf("campaign %s: unit, reporter and time indexes list %v %v %v (errors %v %v %v), want %s in each",
						c.id, ids(byUnit), ids(byUser), byTime, err1, err2, err3, c.want)
					break
				}
			}
		}
		units, err := store.UnitsOfChat(tx, "g2")
		if fmt.Sprint(units) != "[u1]" || err != nil {
			t.Errorf("binding made in chat: units of g2 %v, %v", units, err)
		}
		chats, err := store.ChatsOfUnit(tx, "u1")
		if fmt.Sprint(chats) != "[g1 g2]" || err != nil {
			t.Errorf("chats of u1 %v, %v", chats, err)
		}
		if r, _ := store.Roster(tx); len(r) != 1 || r[0].ID != "u1" {
			t.Errorf("roster %v", r)
		}
		return nil
	})
}
