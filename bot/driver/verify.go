package driver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Verify performs URL verification on path: a GET with a random echo
// string, signed and percent-encoded; the answer must be 200 with exactly
// the plaintext, within VerifyTimeout.
func (d *Driver) Verify(ctx context.Context, path string) error {
	return d.verify(ctx, path, false)
}

// VerifyRawPlus is Verify with the '+' characters of echostr left raw in
// the query (as some proxies deliver it), so the handler must retry with
// '+' kept.
func (d *Driver) VerifyRawPlus(ctx context.Context, path string) error {
	return d.verify(ctx, path, true)
}

func (d *Driver) verify(ctx context.Context, path string, rawPlus bool) error {
	g := d.gen()
	var echo, enc string
	for range 64 {
		echo = g.digits(19)
		if g.err != nil {
			return g.err
		}
		var err error
		if enc, err = d.codec.Cipher().Encrypt([]byte(echo)); err != nil {
			return fmt.Errorf("driver: verify: %w", err)
		}
		if !rawPlus || strings.Contains(enc, "+") {
			break
		}
	}
	ts, nonce := d.timestamp(), g.digits(10)
	if g.err != nil {
		return g.err
	}
	q := url.Values{
		"msg_signature": {d.codec.Sign(ts, nonce, enc)},
		"timestamp":     {ts},
		"nonce":         {nonce},
		"echostr":       {enc},
	}.Encode()
	if rawPlus {
		q = strings.ReplaceAll(q, "%2B", "+")
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.VerifyTimeout)
	defer cancel()
	status, body, err := d.roundTrip(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrVerify, err)
	}
	if status != http.StatusOK || string(body) != echo {
		return fmt.Errorf("%w: HTTP %d, body %q, want %q", ErrVerify, status, truncate(body, 64), echo)
	}
	return nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
