package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"firebot/remote"
	"firebot/remote/remotetest"
)

// stubOnSocket answers on the admin socket as an impostor would: whatever
// it is asked, "success" with a result.
func stubOnSocket(t *testing.T, sock string, hello func(w http.ResponseWriter)) {
	t.Helper()
	ln, err := remote.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /admin/hello", func(w http.ResponseWriter, _ *http.Request) { hello(w) })
	mux.HandleFunc("POST /admin/op/{name}", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "PK stub workbook") })
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// The CLI refuses a stub on the socket: one without the handshake, and one
// naming another store. The export fails and leaves no file.
func TestCLIRefusesStubOnSocket(t *testing.T) {
	for name, hello := range map[string]func(w http.ResponseWriter){
		"no handshake": func(w http.ResponseWriter) { http.NotFound(w, nil) },
		"another store": func(w http.ResponseWriter) {
			json.NewEncoder(w).Encode(remote.Hello{Protocol: remote.Protocol, Store: "embedded:/srv/other/firebot.db", PID: os.Getpid()})
		},
		"not firebot": func(w http.ResponseWriter) { io.WriteString(w, "ok\n") },
	} {
		t.Run(name, func(t *testing.T) {
			sock := remotetest.SocketPath(t)
			dir, cfgPath, _ := exportSetup(t, sock)
			stubOnSocket(t, sock, hello)
			out := filepath.Join(dir, "report.xlsx")
			code, stdout, errOut := runArgs(t, context.Background(), "export", "-config", cfgPath, "-o", out)
			if code != 1 || !strings.Contains(errOut, "拒绝使用管理套接字") || strings.Contains(stdout, "已导出") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output written: %v", err)
			}
		})
	}
}
