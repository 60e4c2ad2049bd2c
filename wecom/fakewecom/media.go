package fakewecom

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"
)

type mediaItem struct {
	owner     string // "app" or "webhook:<key>"
	kind      string
	filename  string
	data      []byte
	createdAt time.Time
}

// mediaUsableLocked reports whether owner may still use mediaID.
func (s *Server) mediaUsableLocked(mediaID, owner string, now time.Time) bool {
	m := s.media[mediaID]
	return m != nil && m.owner == owner && now.Before(m.createdAt.Add(MediaTTL))
}

var appMediaLimits = map[string]int{"image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "file": 20 << 20}

func (s *Server) mediaUpload(c *call) answer {
	s.mu.Lock()
	a, ok := s.checkTokenLocked(c)
	s.mu.Unlock()
	if !ok {
		return a
	}
	return s.storeUpload(c, "app", appMediaLimits)
}

// storeUpload reads the multipart field "media" and stores it for owner.
func (s *Server) storeUpload(c *call, owner string, limits map[string]int) answer {
	kind := c.r.URL.Query().Get("type")
	limit, known := limits[kind]
	if !known {
		return fail(40004, "invalid media type")
	}
	_, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return fail(44001, "empty media data")
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	var (
		data     []byte
		filename string
		found    bool
	)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(47001, "data format error")
		}
		if p.FormName() != "media" {
			continue
		}
		data, err = io.ReadAll(p)
		if err != nil {
			return fail(47001, "data format error")
		}
		filename, found = p.FileName(), true
		break
	}
	if !found || len(data) == 0 {
		return fail(44001, "empty media data")
	}
	if len(data) <= 5 || len(data) > limit {
		return fail(40006, "invalid file size")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked("media-")
	s.media[id] = &mediaItem{owner: owner, kind: kind, filename: filename, data: data, createdAt: c.now}
	return ok(map[string]any{"type": kind, "media_id": id, "created_at": strconv.FormatInt(c.now.Unix(), 10)})
}

// mediaGet returns the bytes with Content-Disposition, or 40007 as JSON for
// an unknown or expired media_id.
func (s *Server) mediaGet(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	id := c.r.URL.Query().Get("media_id")
	if !s.mediaUsableLocked(id, "app", c.now) {
		return fail(40007, "invalid media_id")
	}
	m := s.media[id]
	h := http.Header{}
	h.Set("Content-Type", http.DetectContentType(m.data))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, m.filename))
	h.Set("Content-Length", strconv.Itoa(len(m.data)))
	return answer{raw: bytes.Clone(m.data), header: h}
}
