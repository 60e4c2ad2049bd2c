package scheduler

import (
	"testing"

	"firebot/store"
)

// A mute belongs to the campaign it was set in: next year's campaign (a
// clone with a new id, in the same store) starts with the group's reminders
// on. A mute stored before mutes recorded their campaign holds only when it
// was set on or after the campaign's announcement.
func TestMuteBelongsToItsCampaign(t *testing.T) {
	cfg := smallConfig(t)
	f := newFixture(t, cfg, at(11, 20, 10, 0))
	this := cfg.Campaign
	next := this
	next.ID, next.Announced = "2024-119", this.Announced.AddDate(1, 0, 0)

	f.update(func(tx store.Tx) error { return Mute(tx, &this, "chat_school", "heping", at(11, 20, 10, 0)) })
	// A legacy entry (no campaign), set during this campaign.
	f.update(func(tx store.Tx) error {
		return store.PutJSON(tx, bMute, "chat_shared", MuteState{By: "jinbo", At: at(11, 21, 9, 0)})
	})
	for _, tc := range []struct {
		camp  string
		chat  string
		muted bool
	}{
		{this.ID, "chat_school", true},
		{this.ID, "chat_shared", true},
		{next.ID, "chat_school", false},
		{next.ID, "chat_shared", false},
	} {
		camp := &this
		if tc.camp == next.ID {
			camp = &next
		}
		f.update(func(tx store.Tx) error {
			_, muted, err := Muted(tx, camp, tc.chat)
			if err == nil && muted != tc.muted {
				t.Errorf("%s in %s: muted %v, want %v", tc.chat, tc.camp, muted, tc.muted)
			}
			status, err2 := MuteStatus(camp)(tx, tc.chat)
			if err2 == nil && tc.camp == next.ID && status != "本群提醒：正常（发送“免打扰”可暂停）" {
				t.Errorf("%s in %s: status %q", tc.chat, tc.camp, status)
			}
			return err
		})
	}
	// Muting in the next campaign records it there and does not revive the old one.
	f.update(func(tx store.Tx) error {
		return Mute(tx, &next, "chat_school", "heping", at(11, 20, 10, 0).AddDate(1, 0, 0))
	})
	f.update(func(tx store.Tx) error {
		s, muted, err := Muted(tx, &next, "chat_school")
		if err != nil || !muted || s.Campaign != next.ID || s.At.Year() != 2024 {
			t.Errorf("next campaign's mute: %+v %v %v", s, muted, err)
		}
		return err
	})
}
