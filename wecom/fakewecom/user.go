package fakewecom

// user/get, as the real API answers a self-built application: the user's
// userid and name when the user is in the application's visible range,
// errcode 60011 when the user exists but is outside it, 60111 when there
// is no such user.

// Error codes of user/get.
const (
	CodeNoContactPrivilege = 60011
	CodeUserNotFound       = 60111
)

// SetUser makes userid a known member with a display name, visible to the
// application unless HideUser says otherwise.
func (s *Server) SetUser(userid, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[userid] = true
	if s.names == nil {
		s.names = map[string]string{}
	}
	s.names[userid] = name
}

// HideUser puts userid outside the application's visible range: user/get
// answers 60011 for it.
func (s *Server) HideUser(userid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hidden == nil {
		s.hidden = map[string]bool{}
	}
	s.hidden[userid] = true
}

func (s *Server) userGet(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.checkTokenLocked(c); !ok {
		return a
	}
	id := c.r.URL.Query().Get("userid")
	switch {
	case id == "" || !s.users[id]:
		return fail(CodeUserNotFound, "invalid string value `"+id+"`, userid not found")
	case s.hidden[id]:
		return fail(CodeNoContactPrivilege, "no privilege to access/modify contact/party/agent")
	}
	name := s.names[id]
	if name == "" {
		name = id // WeCom shows the account when no name was set
	}
	return ok(map[string]any{"userid": id, "name": name, "status": 1})
}
