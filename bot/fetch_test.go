package bot_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"firebot/bot"
)

// TestFetchLeavesNoTemporaryFile: an image that cannot be saved (a full
// disk, a name taken by a directory) leaves nothing behind in the inbox.
func TestFetchLeavesNoTemporaryFile(t *testing.T) {
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(pic.Bytes()) }))
	t.Cleanup(srv.Close)
	fetch := func(t *testing.T, d *bot.Downloader) (string, error) {
		m := &bot.Message{DedupeKey: "robot:msg-1", Images: []bot.Image{{URL: srv.URL + "/p.png"}}}
		err := d.Fetch(context.Background(), m)
		return m.Images[0].Path, err
	}
	// The name the image is saved under, from a first successful fetch.
	setup := func(t *testing.T) (*bot.Downloader, string) {
		d := &bot.Downloader{Dir: t.TempDir(), HTTPClient: srv.Client()}
		path, err := fetch(t, d)
		if err != nil || filepath.Ext(path) != ".png" {
			t.Fatalf("first fetch: %q, %v", path, err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		return d, path
	}
	cases := map[string]func(t *testing.T, path string){
		// The temporary file is created but no byte can be written.
		"disk full": func(t *testing.T, path string) {
			if _, err := os.Stat("/dev/full"); err != nil {
				t.Skip("no /dev/full")
			}
			if err := os.Symlink("/dev/full", path+".tmp"); err != nil {
				t.Fatal(err)
			}
		},
		"rename refused": func(t *testing.T, path string) {
			if err := os.MkdirAll(filepath.Join(path, "x"), 0o750); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			d, path := setup(t)
			breakIt(t, path)
			got, err := fetch(t, d)
			if err == nil || got != "" {
				t.Fatalf("fetch = %q, %v: want an error and no path", got, err)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp"))
			if len(left) > 0 {
				t.Fatalf("left behind: %v", left)
			}
		})
	}
}
