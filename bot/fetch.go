package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"firebot/wecom"
)

// MediaSource downloads application media by id (media/get);
// *wecom.Client satisfies it.
type MediaSource interface {
	GetMedia(ctx context.Context, mediaID string) (wecom.MediaContent, error)
}

// Downloader fetches a message's images at once, before the message is
// processed: robot image URLs expire within minutes, intelligent-robot
// images are AES-encrypted with the callback key, and application images
// come by media id. Each image is written under Dir/inbox and its path set
// on the Image; the handlers give it its final name by record id.
type Downloader struct {
	Dir        string
	HTTPClient *http.Client
	Cipher     *Cipher     // the callback's cipher (intelligent robot images)
	Media      MediaSource // application media/get
	MaxBytes   int64       // per image; default 20 MiB
}

// Fetch downloads every image of m that has no local path yet. Failures
// leave Path empty (the handler tells the user to send the photo again)
// and are reported together.
func (d *Downloader) Fetch(ctx context.Context, m *Message) error {
	var errs []error
	for i := range m.Images {
		img := &m.Images[i]
		if img.Path != "" {
			continue
		}
		data, err := d.download(ctx, img)
		if err != nil {
			errs = append(errs, fmt.Errorf("image %d: %w", i+1, err))
			continue
		}
		path, err := d.save(m, i, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		img.Path = path
	}
	return errors.Join(errs...)
}

func (d *Downloader) download(ctx context.Context, img *Image) ([]byte, error) {
	limit := d.MaxBytes
	if limit <= 0 {
		limit = 20 << 20
	}
	if img.URL == "" && img.MediaID != "" && d.Media != nil {
		mc, err := d.Media.GetMedia(ctx, img.MediaID)
		if err != nil {
			return nil, err
		}
		return mc.Data, nil
	}
	if img.URL == "" {
		return nil, errors.New("no url or media id")
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, img.URL, nil)
	if err != nil {
		return nil, err
	}
	client := d.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("download: image larger than %d bytes", limit)
	}
	if img.Encrypted {
		if d.Cipher == nil {
			return nil, errors.New("encrypted image without a cipher")
		}
		return d.Cipher.DecryptBytes(data)
	}
	return data, nil
}

// save writes the image under Dir/inbox (Dir/<street>/inbox for a
// message of a street in a many-street deployment) with a name derived
// from the message, so a re-delivered callback overwrites instead of
// duplicating.
func (d *Downloader) save(m *Message, i int, data []byte) (string, error) {
	dir := filepath.Join(d.Dir, m.Street, "inbox")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(m.DedupeKey))
	name := fmt.Sprintf("%s-%d%s", hex.EncodeToString(sum[:8]), i+1, imageExt(data))
	path := filepath.Join(dir, name)
	tmp := path + ".tmp"
	err := os.WriteFile(tmp, data, 0o640)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp) // a full disk leaves an empty file behind
		return "", err
	}
	return path, nil
}

// imageExt sniffs JPEG and PNG; anything else keeps a neutral extension.
func imageExt(b []byte) string {
	switch http.DetectContentType(b) {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	}
	return ".bin"
}
