package remote

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// SocketMode is the admin socket's file mode: the service's user and group.
const SocketMode = 0o660

// Cred is the peer of a Unix socket connection, as the kernel reports it.
type Cred struct {
	PID, UID, GID int
}

// PeerCred reads the peer credentials (SO_PEERCRED) of a Unix connection.
func PeerCred(c net.Conn) (*Cred, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return nil, errors.New("remote: not a unix socket connection")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *syscall.Ucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		cred, serr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, serr
	}
	return &Cred{PID: int(cred.Pid), UID: int(cred.Uid), GID: int(cred.Gid)}, nil
}

// Allowed reports whether the peer may use the admin API: root, the
// service's own user, or a member of the service's group (its primary
// group, as the kernel reports it). The socket's mode already keeps
// others out; this holds even if the mode is loosened.
func (c *Cred) Allowed() bool {
	return c.allowed(os.Getuid(), os.Getgid())
}

func (c *Cred) allowed(uid, gid int) bool {
	return c != nil && (c.UID == 0 || c.UID == uid || c.GID == gid)
}

// String names the peer for the audit log: "uid=1000(zhujun) pid=4242".
func (c *Cred) String() string {
	if c == nil {
		return "unknown"
	}
	name := strconv.Itoa(c.UID)
	if u, err := user.LookupId(name); err == nil && u.Username != "" {
		name += "(" + u.Username + ")"
	}
	return fmt.Sprintf("uid=%s pid=%d", name, c.PID)
}

// ErrSocketBusy: another process already answers on the admin socket.
var ErrSocketBusy = errors.New("remote: another process answers on the admin socket")

// Listen opens the admin socket at path with SocketMode, creating its
// directory (0750) when missing. A stale socket file left by a process that
// died is replaced; a live one is not (ErrSocketBusy), and a file that is
// not a socket is never removed.
func Listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("remote: %s exists and is not a socket", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("%w: %s", ErrSocketBusy, path)
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, SocketMode); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}
