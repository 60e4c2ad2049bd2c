package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/store"
	"firebot/store/embedded"
)

// districtFiles copies the example district into a temp dir with its
// store at db (its admin socket and media beside it), and returns the
// district file's path.
func districtFiles(t *testing.T, db string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("district.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("path: data/firebot.db", "path: "+db,
		"dir: data/media", "dir: "+filepath.Join(filepath.Dir(db), "media"),
		"listen: 127.0.0.1:8080", "listen: 127.0.0.1:0").Replace(string(data))
	if err := os.WriteFile(filepath.Join(dir, "district.yaml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "streets"), 0o700); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("streets/*.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "district.yaml")
}

// TestStreetImport: a single-street deployment's records move into a street
// of a district's file, record ids go on where they stopped, and a second
// import into the same street is refused without writing.
func TestStreetImport(t *testing.T) {
	ctx := context.Background()
	_, oldCfg, oldDB := exportSetup(t, "")
	created := time.Date(2023, 11, 2, 9, 0, 0, 0, time.UTC)
	st, err := embedded.Open(oldDB, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var oldIDs []string
	err = st.Update(ctx, func(tx store.Tx) error {
		for range 2 {
			r := &store.Record{Kind: store.KindConfirmation, CampaignID: "2023-119", UnitID: "comm_xuetianwan", TaskID: "drill",
				Status: store.StatusActive, CreatedAt: created, UpdatedAt: created}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
			oldIDs = append(oldIDs, r.ID)
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	newDB := filepath.Join(t.TempDir(), "district.db")
	dist := districtFiles(t, newDB)

	var out, errb bytes.Buffer
	args := []string{"import", "-config", dist, "-street", "jiefangbei", "-from", oldCfg}
	if code := runStreet(ctx, args, &out, &errb); code != 0 {
		t.Fatalf("street import: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "已把") || !strings.Contains(out.String(), "导入街道 jiefangbei") {
		t.Fatalf("output: %q", out.String())
	}

	nst, err := embedded.Open(newDB, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	jfb, other := nst.Street("jiefangbei"), nst.Street("shangqingsi")
	var next string
	err = jfb.Update(ctx, func(tx store.Tx) error {
		for _, id := range oldIDs {
			if _, err := store.GetRecord(tx, id); err != nil {
				t.Errorf("record %s after the import: %v", id, err)
			}
		}
		r := &store.Record{Kind: store.KindConfirmation, CampaignID: "2023-119", UnitID: "comm_xuetianwan", TaskID: "drill",
			Status: store.StatusActive, CreatedAt: created, UpdatedAt: created}
		err := store.PutRecord(tx, r)
		next = r.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, last, _ := store.ParseID(oldIDs[1])
	if _, n, err := store.ParseID(next); err != nil || n != last+1 {
		t.Errorf("ids %v then %s: the street's ids must go on after the imported ones", oldIDs, next)
	}
	if err := other.View(ctx, func(tx store.Tx) error {
		_, err := store.GetRecord(tx, oldIDs[0])
		if err == nil {
			t.Errorf("record %s leaked into another street", oldIDs[0])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	nst.Close()

	out.Reset()
	errb.Reset()
	if code := runStreet(ctx, args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "已经有数据") {
		t.Fatalf("second import: exit %d, stderr %q", code, errb.String())
	}
	for _, bad := range [][]string{
		{"import", "-config", dist, "-street", "nosuch", "-from", oldCfg},
		{"import", "-config", oldCfg, "-street", "jiefangbei", "-from", oldCfg},
		{"import", "-config", dist, "-from", oldCfg},
	} {
		errb.Reset()
		if code := runStreet(ctx, bad, &out, &errb); code == 0 {
			t.Errorf("%v: exit 0", bad)
		}
	}
}
