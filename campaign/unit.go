package campaign

import "slices"

// Kind is what sort of unit a roster entry is.
type Kind string

// The unit kinds.
const (
	KindSector       Kind = "sector"       // 板块: a group of units managed together
	KindCommunity    Kind = "community"    // 社区: a residential community
	KindOrganisation Kind = "organisation" // 社会单位: a school, hospital, hotel…
)

// Kinds lists every valid Kind.
func Kinds() []Kind { return []Kind{KindSector, KindCommunity, KindOrganisation} }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindSector, KindCommunity, KindOrganisation:
		return true
	}
	return false
}

// Label is the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindSector:
		return "板块"
	case KindCommunity:
		return "社区"
	case KindOrganisation:
		return "社会单位"
	}
	return string(k)
}

// Category is an organisation's category. The first seven are the ones the
// district asks to hold an evacuation drill; everything else is CategoryOther.
type Category string

// The organisation categories.
const (
	CategorySchool        Category = "学校"
	CategoryMedical       Category = "医疗机构"
	CategoryEntertainment Category = "文化娱乐场所"
	CategoryHotel         Category = "宾馆酒店"
	CategoryHazchem       Category = "危化企业"
	CategoryComplex       Category = "大型综合体"
	CategoryHighRise      Category = "高层建筑"
	CategoryOther         Category = "其他"
)

// Categories lists every valid Category, CategoryOther last.
func Categories() []Category {
	return []Category{
		CategorySchool, CategoryMedical, CategoryEntertainment, CategoryHotel,
		CategoryHazchem, CategoryComplex, CategoryHighRise, CategoryOther,
	}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	return slices.Contains(Categories(), c)
}

// Unit is one roster entry: a sector, a community or an organisation.
type Unit struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Kind     Kind     `yaml:"kind"`
	Sector   string   `yaml:"sector"`   // id of the sector unit it belongs to, if any
	Category Category `yaml:"category"` // organisations only
	Officers []string `yaml:"officers"` // WeCom user ids of its safety officers
	Chats    []Chat   `yaml:"chats"`
	// OfficerInfo are the officers as the roster gives them (name and
	// phone when known); the YAML list may hold plain ids or objects.
	OfficerInfo []Person `yaml:"-"`
	// Contact is who at the unit the district may call (optional).
	Contact *Person `yaml:"contact"`
}

// Chat is a WeCom group chat bound to a unit (or to the office).
type Chat struct {
	ID         string `yaml:"id"`
	WebhookKey Secret `yaml:"webhook_key"` // the group robot's webhook key
}

// HasOfficer reports whether userID is one of u's officers.
func (u Unit) HasOfficer(userID string) bool {
	for _, o := range u.Officers {
		if o == userID {
			return true
		}
	}
	return false
}

// Roster is the list of units taking part.
type Roster []Unit

// Unit returns the unit with the given id.
func (r Roster) Unit(id string) (Unit, bool) {
	for _, u := range r {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

// ByChat returns the unit a group chat is bound to.
func (r Roster) ByChat(chatID string) (Unit, bool) {
	for _, u := range r {
		for _, c := range u.Chats {
			if c.ID == chatID {
				return u, true
			}
		}
	}
	return Unit{}, false
}

// ByOfficer returns the units userID is an officer of, in roster order.
func (r Roster) ByOfficer(userID string) []Unit {
	var out []Unit
	for _, u := range r {
		if u.HasOfficer(userID) {
			out = append(out, u)
		}
	}
	return out
}
