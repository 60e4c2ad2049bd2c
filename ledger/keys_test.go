package ledger

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"firebot/clock"
	"firebot/store"
	"firebot/store/embedded"
)

// TestNotApplicableReadsOldKeys writes a mark under the literal key layout
// of earlier releases and reads, lists and clears it through the functions
// that now build keys with store.JoinKey.
func TestNotApplicableReadsOldKeys(t *testing.T) {
	st, err := embedded.Open(filepath.Join(t.TempDir(), "x.db"), embedded.Options{Real: clock.NewFake(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	old := "c2023" + "\x00" + "u01" + "\x00" + "t3"
	if naKey("c2023", "u01", "t3") != old {
		t.Fatalf("naKey = %q, want %q", naKey("c2023", "u01", "t3"), old)
	}
	if err := st.Update(t.Context(), func(tx store.Tx) error {
		return store.PutJSON(tx, bNotApplicable, old, NotApplicable{TaskID: "t3", By: "officer"})
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Update(t.Context(), func(tx store.Tx) error {
		got, err := NotApplicableOf(tx, "c2023", "u01")
		if err != nil {
			return err
		}
		if len(got) != 1 || got["t3"].By != "officer" {
			t.Errorf("NotApplicableOf = %+v, want the old mark for t3", got)
		}
		if other, err := NotApplicableOf(tx, "c2023", "u0"); err != nil || len(other) != 0 {
			t.Errorf("NotApplicableOf(u0) = %+v, %v; want none (prefix must end at the separator)", other, err)
		}
		return ClearNotApplicable(tx, "c2023", "u01", "t3")
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.View(t.Context(), func(tx store.Tx) error {
		if _, err := tx.Get(bNotApplicable, old); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old key after ClearNotApplicable: %v, want ErrNotFound", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
