package wecom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"
)

// MediaType is the type parameter of an upload.
type MediaType string

// Media types. Group robots accept only file and voice.
const (
	MediaImage MediaType = "image"
	MediaVoice MediaType = "voice"
	MediaVideo MediaType = "video"
	MediaFile  MediaType = "file"
)

// MediaTTL is how long WeCom keeps an uploaded temporary file.
const MediaTTL = 72 * time.Hour

// Media is an uploaded temporary file.
type Media struct {
	Type      MediaType
	MediaID   string
	CreatedAt time.Time // as reported by WeCom
}

type mediaAnswer struct {
	Type      string  `json:"type"`
	MediaID   string  `json:"media_id"`
	CreatedAt flexInt `json:"created_at"`
}

// UploadMedia uploads a temporary file for the application (media/upload);
// the media_id is valid corp-wide for 3 days.
func (c *Client) UploadMedia(ctx context.Context, kind MediaType, filename string, data []byte) (Media, error) {
	var m Media
	err := c.withToken(ctx, func(tok string) error {
		var err error
		target := c.endpoint("media/upload", tokenQuery(tok, "type", string(kind)))
		m, err = c.upload(ctx, "media/upload", target, filename, data)
		return err
	})
	return m, err
}

// upload posts data as the multipart field "media".
func (c *Client) upload(ctx context.Context, api, target, filename string, data []byte) (Media, error) {
	if filename == "" {
		return Media{}, fmt.Errorf("%w: empty file name", ErrInvalidArgument)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := make(textproto.MIMEHeader)
	// Raw UTF-8 file name as WeCom's samples send it (not RFC 2231), plus
	// the filelength parameter its docs show.
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename="%s"; filelength=%d`,
		quoteEscaper.Replace(filename), len(data)))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return Media{}, fmt.Errorf("wecom: %s: build body: %w", api, err)
	}
	if _, err := part.Write(data); err != nil {
		return Media{}, fmt.Errorf("wecom: %s: build body: %w", api, err)
	}
	if err := mw.Close(); err != nil {
		return Media{}, fmt.Errorf("wecom: %s: build body: %w", api, err)
	}
	var a mediaAnswer
	if err := c.postRaw(ctx, api, target, mw.FormDataContentType(), buf.Bytes(), &a); err != nil {
		return Media{}, err
	}
	if a.MediaID == "" {
		return Media{}, &DecodeError{API: api, Err: errors.New("empty media_id")}
	}
	m := Media{Type: MediaType(a.Type), MediaID: a.MediaID}
	if a.CreatedAt > 0 {
		m.CreatedAt = time.Unix(int64(a.CreatedAt), 0)
	}
	return m, nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

// MediaContent is a downloaded temporary file.
type MediaContent struct {
	Data        []byte
	Filename    string // from Content-Disposition; may be empty
	ContentType string
}

// GetMedia downloads a temporary file (media/get). An unknown or expired
// media_id gives an *APIError with code 40007 (MediaExpired).
func (c *Client) GetMedia(ctx context.Context, mediaID string) (MediaContent, error) {
	if mediaID == "" {
		return MediaContent{}, fmt.Errorf("%w: empty media_id", ErrInvalidArgument)
	}
	var f MediaContent
	err := c.withToken(ctx, func(tok string) error {
		var err error
		f, err = c.getMedia(ctx, c.endpoint("media/get", tokenQuery(tok, "media_id", mediaID)))
		return err
	})
	return f, err
}

func (c *Client) getMedia(ctx context.Context, target string) (MediaContent, error) {
	const api = "media/get"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return MediaContent{}, buildErr(api, err)
	}
	var f MediaContent
	err = c.exchange(api, req, func(resp *http.Response) error {
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxMediaBody+1))
		if err != nil {
			return &NetError{API: api, Err: err}
		}
		if len(data) > maxMediaBody {
			return &DecodeError{API: api, Err: fmt.Errorf("file larger than %d bytes", maxMediaBody)}
		}
		ct := resp.Header.Get("Content-Type")
		filename := dispositionFilename(resp.Header.Get("Content-Disposition"))
		// Errors come back as JSON instead of the file.
		if filename == "" && isJSONType(ct) {
			if err := decodeAnswer(api, data, nil); err != nil {
				return err
			}
			return &DecodeError{API: api, Err: errors.New("JSON answer without a file")}
		}
		if filename == "" && looksLikeErrorJSON(data) {
			return decodeAnswer(api, data, nil)
		}
		f = MediaContent{Data: data, Filename: filename, ContentType: ct}
		return nil
	})
	return f, err
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || mt == "text/plain")
}

// looksLikeErrorJSON catches JSON errors sent with an unexpected
// Content-Type: a small object with a non-zero errcode.
func looksLikeErrorJSON(data []byte) bool {
	if len(data) > 4096 || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	var r response
	return json.Unmarshal(data, &r) == nil && r.ErrCode != nil && *r.ErrCode != CodeOK
}

// dispositionFilename extracts the file name from Content-Disposition,
// tolerating the unquoted UTF-8 names WeCom sends.
func dispositionFilename(cd string) string {
	if cd == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(cd); err == nil && params["filename"] != "" {
		return params["filename"]
	}
	i := strings.Index(strings.ToLower(cd), "filename=")
	if i < 0 {
		return ""
	}
	name := strings.TrimSpace(cd[i+len("filename="):])
	if j := strings.IndexByte(name, ';'); j >= 0 {
		name = name[:j]
	}
	return strings.Trim(name, `" `)
}
