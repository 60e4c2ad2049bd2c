package redistest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
)

// CutProxy is a TCP proxy on loopback in front of the Redis under test. It
// forwards bytes both ways until armed with CutAfterExec: then the next
// EXEC a client sends (in a transaction whose commands contain the armed
// bytes) is forwarded to Redis, the proxy waits until Redis has answered
// it, and drops the connection without passing that answer on — the client
// cannot tell whether its transaction committed, although it did. SetDown
// makes it refuse and drop every connection, as if Redis were gone.
type CutProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	armed []byte // cut the next EXEC whose transaction contains these bytes
	lose  bool   // the armed EXEC is not forwarded at all
	cuts  int
	down  bool
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// NewCutProxy starts a proxy in front of the server under test; closed at
// cleanup. Point a client at its Addr.
func NewCutProxy(tb testing.TB) *CutProxy {
	tb.Helper()
	target := Addr(tb)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &CutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	tb.Cleanup(p.Close)
	return p
}

// Addr is the proxy's address.
func (p *CutProxy) Addr() string { return p.ln.Addr().String() }

// CutAfterExec arms the proxy: the next EXEC whose transaction (MULTI to
// EXEC) contains needle (any bytes of a key or value; nil: any EXEC) runs
// on Redis, but its reply is lost with the connection.
func (p *CutProxy) CutAfterExec(needle []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if needle == nil {
		needle = []byte{}
	}
	p.armed, p.lose = needle, false
}

// LoseExec arms the proxy like CutAfterExec, except that the EXEC itself
// never reaches Redis: the transaction is discarded with the connection,
// and the client again cannot tell.
func (p *CutProxy) LoseExec(needle []byte) {
	p.CutAfterExec(needle)
	p.mu.Lock()
	p.lose = true
	p.mu.Unlock()
}

// Cuts counts the connections cut at an armed EXEC so far.
func (p *CutProxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// SetDown drops every connection and refuses new ones (down), or accepts
// connections again.
func (p *CutProxy) SetDown(down bool) {
	p.mu.Lock()
	p.down = down
	var open []net.Conn
	if down {
		for c := range p.conns {
			open = append(open, c)
		}
	}
	p.mu.Unlock()
	for _, c := range open {
		_ = c.Close()
	}
}

// Close stops the proxy and drops its connections.
func (p *CutProxy) Close() {
	_ = p.ln.Close()
	p.SetDown(true)
	p.wg.Wait()
}

func (p *CutProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	p.conns[c] = true
	return true
}

func (p *CutProxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	_ = c.Close()
}

func (p *CutProxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(client) {
			_ = client.Close()
			continue
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil || !p.track(server) {
			if server != nil {
				_ = server.Close()
			}
			p.untrack(client)
			continue
		}
		p.wg.Add(1)
		go p.serve(client, server)
	}
}

// RESP commands as clients write them (go-redis lowercases command names).
var (
	respMulti = [][]byte{[]byte("*1\r\n$5\r\nmulti\r\n"), []byte("*1\r\n$5\r\nMULTI\r\n")}
	respExec  = [][]byte{[]byte("*1\r\n$4\r\nexec\r\n"), []byte("*1\r\n$4\r\nEXEC\r\n")}
)

func index(b []byte, pats [][]byte) (int, int) {
	best, n := -1, 0
	for _, p := range pats {
		if i := bytes.Index(b, p); i >= 0 && (best < 0 || i < best) {
			best, n = i, len(p)
		}
	}
	return best, n
}

func lastIndex(b []byte, pats [][]byte) (int, int) {
	best, n := -1, 0
	for _, p := range pats {
		if i := bytes.LastIndex(b, p); i > best {
			best, n = i, len(p)
		}
	}
	return best, n
}

// serve pumps one connection pair. The client-to-server side watches for
// the armed EXEC; after forwarding it, it sends Redis an ECHO of a fresh
// marker, and the server-to-client side stops passing bytes on, waits for
// the marker (Redis answers in order, so EXEC has run) and drops both
// connections.
func (p *CutProxy) serve(client, server net.Conn) {
	defer p.wg.Done()
	var (
		mu     sync.Mutex
		marker []byte // set once the armed EXEC went to Redis
		done   = make(chan struct{})
	)
	go func() { // server → client
		defer close(done)
		var held []byte
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			mu.Lock()
			m := marker
			mu.Unlock()
			if m == nil {
				if n > 0 {
					if _, werr := client.Write(buf[:n]); werr != nil {
						return
					}
				}
			} else {
				held = append(held, buf[:n]...)
				if bytes.Contains(held, m) {
					p.mu.Lock()
					p.cuts++
					p.mu.Unlock()
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		p.untrack(client)
		p.untrack(server)
		<-done
	}()

	var txn []byte // client bytes not yet matched to an EXEC, while armed
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		chunk := buf[:n]
		if n > 0 {
			p.mu.Lock()
			needle := p.armed
			p.mu.Unlock()
			if needle != nil {
				if end, ok := armedExec(&txn, chunk, needle); ok {
					p.mu.Lock()
					armed, lose := p.armed != nil, p.lose
					p.armed = nil
					if armed && lose {
						p.cuts++
					}
					p.mu.Unlock()
					if armed && lose {
						_, _ = server.Write(chunk[:max(0, end-len(respExec[0]))])
						return
					}
					if armed {
						// Hold Redis's answers before EXEC can be answered:
						// set after the write, the reply could pass first.
						m := newMarker()
						mu.Lock()
						marker = m
						mu.Unlock()
						if _, werr := server.Write(chunk[:end]); werr != nil {
							return
						}
						echo := "*2\r\n$4\r\nECHO\r\n$" + strconv.Itoa(len(m)) + "\r\n" + string(m) + "\r\n"
						if _, werr := io.WriteString(server, echo); werr != nil {
							return
						}
						<-done // the reply has been swallowed: drop the connection
						return
					}
				}
			}
			if _, werr := server.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// armedExec adds chunk to txn (the client's bytes not yet matched) and
// reports whether chunk holds the EXEC of a transaction containing needle,
// and where in chunk that EXEC ends. EXECs of other transactions are
// dropped from txn.
func armedExec(txn *[]byte, chunk, needle []byte) (int, bool) {
	*txn = append(*txn, chunk...)
	for {
		t := *txn
		ei, el := index(t, respExec)
		if ei < 0 {
			if len(t) > 1<<20 {
				*txn = append(t[:0:0], t[len(t)-(1<<20):]...)
			}
			return 0, false
		}
		start := 0
		if mi, ml := lastIndex(t[:ei], respMulti); mi >= 0 {
			start = mi + ml
		}
		if bytes.Contains(t[start:ei], needle) {
			end := len(chunk) - (len(t) - (ei + el))
			*txn = nil
			return max(0, min(end, len(chunk))), true
		}
		*txn = append(t[:0:0], t[ei+el:]...)
	}
}

func newMarker() []byte {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return []byte("redistest-cut-" + hex.EncodeToString(b[:]))
}
