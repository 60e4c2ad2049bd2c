package campaign

// Person is someone the report names: a unit's safety officer or its
// contact. ID is a WeCom user id (empty for a contact who has none).
type Person struct {
	ID    string `yaml:"id" json:"id,omitempty"`
	Name  string `yaml:"name" json:"name,omitempty"`
	Phone string `yaml:"phone" json:"phone,omitempty"`
}

// Label is the person's name, or the id when the name is not known.
func (p Person) Label() string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}

// Officer is what the roster knows of officer userID (its name and phone,
// when given); ok is false when userID is not one of u's officers.
func (u Unit) Officer(userID string) (p Person, ok bool) {
	for _, o := range u.OfficerInfo {
		if o.ID == userID {
			return o, true
		}
	}
	if u.HasOfficer(userID) {
		return Person{ID: userID}, true
	}
	return Person{}, false
}

// OfficerPeople are u's officers with what is known of them, in order.
func (u Unit) OfficerPeople() []Person {
	out := make([]Person, len(u.Officers))
	for i, id := range u.Officers {
		out[i], _ = u.Officer(id)
	}
	return out
}

// NameOf is the roster's name for userID: an officer's name given in any
// unit, or "" when the roster does not know one.
func (r Roster) NameOf(userID string) string {
	for _, u := range r {
		if p, ok := u.Officer(userID); ok && p.Name != "" {
			return p.Name
		}
		if userID != "" && u.Contact != nil && u.Contact.ID == userID && u.Contact.Name != "" {
			return u.Contact.Name
		}
	}
	return ""
}
