package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"
)

// ErrNoService: nothing answers on the admin socket.
var ErrNoService = errors.New("remote: no running service")

// ErrNotOurs: something answers on the admin socket, but not a firebot
// serving the store the tool was configured with.
var ErrNotOurs = errors.New("remote: the process on the admin socket does not serve this store")

// Client runs ops on the service behind an admin socket.
type Client struct {
	Socket string // the socket's path (server.admin_socket)
	// Identity is the store the tool means (StoreIdentity of its
	// configuration); the handshake must name the same one.
	Identity string
	// Street, when set, is the street of a district service the ops run
	// in; the handshake must list it.
	Street string
	// Timeout bounds one op (default 30 minutes).
	Timeout time.Duration
}

// Run runs op with params and copies its output to out. It returns
// ErrNoService when nothing listens on the socket, and an error wrapping
// ErrNotOurs when the answer is not a firebot holding Identity — whatever
// such a process says is never taken for a result.
func (c *Client) Run(ctx context.Context, op string, params any, out io.Writer) error {
	var peer *Cred
	dialer := &net.Dialer{Timeout: 2 * time.Second}
	transport := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, "unix", c.Socket)
			if err != nil {
				return nil, err
			}
			if peer, err = PeerCred(conn); err != nil {
				conn.Close()
				return nil, err
			}
			return conn, nil
		},
		MaxIdleConns:          1,
		ResponseHeaderTimeout: c.timeout(),
		DisableCompression:    true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	if err := c.handshake(ctx, client, &peer); err != nil {
		return err
	}
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	target := "http://firebot/admin/op/" + op
	if c.Street != "" {
		target += "?street=" + url.QueryEscape(c.Street)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("remote: %s: %w", op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("%s", strings.TrimSpace(string(msg)))
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		return fmt.Errorf("remote: %s: %w", op, err)
	}
	if msg := resp.Trailer.Get(errorTrailer); msg != "" {
		return errors.New(msg)
	}
	return nil
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return opTimeout
}

// handshake asks the socket whom it serves. A refused or missing socket is
// ErrNoService; any other answer must be the protocol, the expected store
// and the process the kernel names as the socket's peer.
func (c *Client) handshake(ctx context.Context, client *http.Client, peer **Cred) error {
	if c.Socket == "" {
		return ErrNoService
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://firebot/admin/hello", nil)
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			return ErrNoService
		}
		if errors.Is(err, syscall.EACCES) {
			return fmt.Errorf("无权连接管理套接字 %s（需要是服务的用户或它的用户组成员）：%w", c.Socket, err)
		}
		return fmt.Errorf("remote: %s: %w", c.Socket, err)
	}
	defer resp.Body.Close()
	var h Hello
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w（%s 回答 %s）", ErrNotOurs, c.Socket, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&h); err != nil || h.Protocol != Protocol {
		return fmt.Errorf("%w（%s 上的进程不是 firebot）", ErrNotOurs, c.Socket)
	}
	if h.Store != c.Identity {
		return fmt.Errorf("%w（它的数据存储是 %s，配置文件指向 %s）", ErrNotOurs, h.Store, c.Identity)
	}
	if c.Street != "" && !slices.Contains(h.Streets, c.Street) {
		return fmt.Errorf("%w（%s 上的服务没有街道 %s）", ErrNotOurs, c.Socket, c.Street)
	}
	if *peer == nil || (*peer).PID != h.PID {
		return fmt.Errorf("%w（回答的进程与套接字另一端的进程不符）", ErrNotOurs)
	}
	return nil
}
