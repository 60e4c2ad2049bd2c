package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"firebot/remote/remotetest"
	"firebot/service"
	"firebot/store"
	"firebot/store/embedded"
)

// A backup taken while serve runs (and writes) comes through the admin
// socket, and the copy, restored in place of a store, opens with what had
// been written; with the service stopped the tool copies the file itself.
func TestBackupWhileServing(t *testing.T) {
	sock := remotetest.SocketPath(t)
	_, cfgPath, dbPath := exportSetup(t, sock)
	cfg, ok := loadConfig(cfgPath, os.Stderr)
	if !ok {
		t.Fatal("config")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc, err := service.New(ctx, cfg, service.Options{Listener: ln, ManualOutbox: true, ManualScheduler: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			svc.Shutdown(ctx)
		}
	}()
	put := func(key string) error {
		return svc.Store.Update(ctx, func(tx store.Tx) error { return tx.Put("backup_test", key, []byte("v-"+key)) })
	}
	for i := range 200 {
		if err := put(fmt.Sprintf("before-%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Writers go on during the backup.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := put(fmt.Sprintf("during-%05d", i)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := t.TempDir()
	out := filepath.Join(dir, "backup.db")
	start := time.Now()
	code, stdout, stderr := runArgs(t, ctx, "backup", "-config", cfgPath, "-o", out)
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(stdout, "已备份数据存储") {
		t.Fatalf("backup while serving: exit %d\n%s%s", code, stdout, stderr)
	}
	t.Logf("online backup took %v", took)

	// Restore: the copy stands in for a store file and opens.
	restored := filepath.Join(dir, "restored", "firebot.db")
	os.MkdirAll(filepath.Dir(restored), 0o700)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(restored, data, 0o600)
	check := func(path string) (before, during int) {
		t.Helper()
		st, err := embedded.Open(path, embedded.Options{OpenTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		err = st.View(ctx, func(tx store.Tx) error {
			if _, err := store.GetMeta(tx, "mode"); err != nil {
				return fmt.Errorf("meta mode: %w", err)
			}
			return tx.Scan("backup_test", "", "", func(k string, v []byte) error {
				if string(v) != "v-"+k {
					return fmt.Errorf("%s = %q", k, v)
				}
				if strings.HasPrefix(k, "before-") {
					before++
				} else {
					during++
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return before, during
	}
	if before, _ := check(restored); before != 200 {
		t.Errorf("restored copy holds %d of the 200 records written before", before)
	}

	// Stopped: the tool reads the file itself.
	if err := svc.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	stopped = true
	out2 := filepath.Join(dir, "backup2.db")
	if code, stdout, stderr := runArgs(t, ctx, "backup", "-config", cfgPath, "-o", out2); code != 0 {
		t.Fatalf("backup when stopped: exit %d\n%s%s", code, stdout, stderr)
	}
	_, duringLive := check(dbPath)
	if before, during := check(out2); before != 200 || during != duringLive {
		t.Errorf("offline copy: %d before, %d during; the store has 200 and %d", before, during, duringLive)
	}
}

func TestBackupRefusals(t *testing.T) {
	_, cfgPath, dbPath := exportSetup(t, "")
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"backup", "-config", cfgPath}, 2, "-o"},
		{[]string{"backup", "-config", cfgPath, "-o", dbPath}, 2, "数据文件本身"},
		{[]string{"backup", "-config", cfgPath, "-o", filepath.Join(t.TempDir(), "no", "dir", "b.db")}, 1, "备份失败"},
	} {
		code, _, errOut := runArgs(t, context.Background(), c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errOut)
		}
	}
}
