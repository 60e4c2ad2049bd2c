package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"firebot/config/configtest"
)

// BenchmarkServeStartup measures, for the real binary on the example
// configuration with the embedded store: the time from exec to the first
// /readyz 200, and the resident memory of the idle service. The baseline
// is a minimal Go HTTP server built and measured in the same run.
//
//	go test -run '^$' -bench ServeStartup -benchtime 5x .
func BenchmarkServeStartup(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "firebot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	base := filepath.Join(dir, "baseline")
	src := filepath.Join(dir, "baseline.go")
	os.WriteFile(src, []byte(`package main
import ("net/http";"os")
func main(){http.HandleFunc("/readyz",func(w http.ResponseWriter,_ *http.Request){w.Write([]byte("ok"))});http.ListenAndServe(os.Args[1],nil)}
`), 0o644)
	if out, err := exec.Command("go", "build", "-o", base, src).CombinedOutput(); err != nil {
		b.Fatalf("build baseline: %v\n%s", err, out)
	}
	var ready, readyBase time.Duration
	var rss, rssBase int
	for i := 0; i < b.N; i++ {
		addr := freeAddr(b)
		cfg := startupConfig(b, addr)
		d, r := measure(b, addr, bin, "serve", "-config", cfg)
		ready += d
		rss = max(rss, r)
		addr = freeAddr(b)
		d, r = measure(b, addr, base, addr)
		readyBase += d
		rssBase = max(rssBase, r)
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((ready/n).Microseconds())/1000, "ready-ms")
	b.ReportMetric(float64(rss)/1024, "idle-rss-MB")
	b.ReportMetric(float64(ready)/float64(readyBase), "ready-x-baseline")
	b.ReportMetric(float64(rss)/float64(rssBase), "rss-x-baseline")
}

func freeAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startupConfig(b *testing.B, addr string) string {
	data, err := os.ReadFile(configtest.Path())
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	text := strings.NewReplacer(
		"listen: 127.0.0.1:8080", "listen: "+addr,
		"admin_listen: 127.0.0.1:8081", "admin_listen: "+freeAddr(b),
		"path: data/firebot.db", "path: "+filepath.Join(dir, "firebot.db"),
		"dir: data/media", "dir: "+filepath.Join(dir, "media"),
	).Replace(string(data))
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte(text), 0o600)
	return path
}

// measure starts a process, polls /readyz until 200, lets it idle for a
// second and reads its resident set size (KiB).
func measure(b *testing.B, addr, bin string, args ...string) (time.Duration, int) {
	cmd := exec.Command(bin, args...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	client := &http.Client{Timeout: 100 * time.Millisecond}
	var ready time.Duration
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				ready = time.Since(start)
				break
			}
		}
		if time.Since(start) > 10*time.Second {
			b.Fatalf("%s never became ready", bin)
		}
		time.Sleep(time.Millisecond) // polling a starting process
	}
	time.Sleep(time.Second) // idle
	return ready, vmRSS(b, cmd.Process.Pid)
}

func vmRSS(b *testing.B, pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.Fields(v)[0])
			return kb
		}
	}
	return 0
}
