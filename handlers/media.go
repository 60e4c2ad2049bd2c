package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"firebot/bot"
)

// Photos are files under media.dir. The bot layer downloads (and, for the
// intelligent robot, decrypts) each image before Handle runs; the handlers
// file it:
//
//   - attached to an existing record: <record id>-<n>.<ext>;
//   - received during a dialog, before the record has an id:
//     pending/<content hash>.<ext>, linked to <record id>-<n>.<ext> when
//     the dialog is submitted.
//
// Every write is idempotent (same name, same content, atomic rename), so a
// unit of work that runs twice leaves the same files.

// ErrMedia wraps failures to file a photo.
var ErrMedia = errors.New("handlers: media")

const pendingDir = "pending"

type media struct{ dir string }

// imagePath is where the bot layer put the downloaded image ("" when the
// download failed).
func imagePath(img bot.Image) string { return img.Path }

// PromotePhoto files the pending photo as photo n of record id and
// returns its name.
func (c *Context) PromotePhoto(pending, id string, n int) (string, error) {
	return c.router.media.promote(pending, id, n)
}

// SavePending files the message's images for a dialog, before its record
// has an id (State.Photos). It returns their names and how many could not
// be read.
func (c *Context) SavePending() ([]string, int, error) {
	var names []string
	failed := 0
	for _, img := range c.Msg.Images {
		src := imagePath(img)
		if src == "" {
			failed++
			continue
		}
		name, err := c.router.media.pending(src)
		if err != nil {
			c.Logger.Warn("cannot file photo", "err", err)
			failed++
			continue
		}
		names = append(names, name)
	}
	return names, failed, nil
}

// UseImages marks the message's images as taken by the command, so they
// are not filed elsewhere too (Hooks.StrayImages), and returns them.
func (c *Context) UseImages() []bot.Image {
	c.imagesUsed = true
	return c.Msg.Images
}

// AttachImages files the message's images as photos first, first+1… of
// record id and returns their names (for the record's payload) and how
// many could not be filed.
func (c *Context) AttachImages(id string, first int) (names []string, failed int) {
	for _, img := range c.Msg.Images {
		src := imagePath(img)
		if src == "" {
			failed++
			continue
		}
		name, err := c.router.media.attach(src, id, first+len(names))
		if err != nil {
			c.Logger.Warn("cannot file photo", "record", id, "err", err)
			failed++
			continue
		}
		names = append(names, name)
	}
	return names, failed
}

// pending copies src to pending/<hash>.<ext> and returns that name.
func (m media) pending(src string) (string, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("%w: open %s: %v", ErrMedia, filepath.Base(src), err)
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return "", fmt.Errorf("%w: read %s: %v", ErrMedia, filepath.Base(src), err)
	}
	name := filepath.ToSlash(filepath.Join(pendingDir, hex.EncodeToString(h.Sum(nil)[:12])+ext(src)))
	return name, m.place(src, name)
}

// promote files a pending photo as photo n of record id.
func (m media) promote(pendingName, id string, n int) (string, error) {
	if strings.Contains(pendingName, "..") {
		return "", fmt.Errorf("%w: bad pending name %q", ErrMedia, pendingName)
	}
	name := fmt.Sprintf("%s-%d%s", id, n, ext(pendingName))
	return name, m.place(filepath.Join(m.dir, filepath.FromSlash(pendingName)), name)
}

// attach files a downloaded image as photo n of record id.
func (m media) attach(src, id string, n int) (string, error) {
	name := fmt.Sprintf("%s-%d%s", id, n, ext(src))
	return name, m.place(src, name)
}

// place puts src at name under the media directory: a hard link when
// possible, a copy otherwise, always through a temporary name and an
// atomic rename.
func (m media) place(src, name string) error {
	dst := filepath.Join(m.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("%w: %v", ErrMedia, err)
	}
	tmp := dst + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		if err := copyFile(src, tmp); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("%w: copy %s: %v", ErrMedia, name, err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("%w: %v", ErrMedia, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ext is the file's extension, lower case; .jpg when it has none.
func ext(name string) string {
	e := strings.ToLower(filepath.Ext(name))
	if e == "" || len(e) > 6 {
		return ".jpg"
	}
	return e
}
