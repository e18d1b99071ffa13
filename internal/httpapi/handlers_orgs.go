package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/internal/sqlstore"
)

// OrgStore is what the org handlers need of the store: the org registry.
type OrgStore interface {
	CreateOrg(ctx context.Context, o jiefen.Org) (jiefen.Org, error)
	ListOrgs(ctx context.Context, f sqlstore.OrgFilter) ([]jiefen.Org, int64, error)
	Org(ctx context.Context, code string) (jiefen.Org, error)
	UpdateOrg(ctx context.Context, code string, ifVersion int64, u jiefen.OrgUpdate) (jiefen.Org, error)
}

// orgsAPI serves /orgs.
type orgsAPI struct {
	*Server
	store OrgStore
}

type orgRequest struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Aliases    []string `json:"aliases"`
	ParentCode string   `json:"parent_code"`
}

type orgPatch struct {
	Name       *string   `json:"name"`
	Kind       *string   `json:"kind"`
	Aliases    *[]string `json:"aliases"`
	ParentCode *string   `json:"parent_code"`
}

func (s *orgsAPI) createOrg(c *gin.Context) {
	var req orgRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	o, err := s.store.CreateOrg(c.Request.Context(), jiefen.Org{Code: req.Code, Name: req.Name,
		Kind: jiefen.OrgKind(req.Kind), Aliases: req.Aliases, ParentCode: req.ParentCode})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/orgs/"+o.Code)
	c.Header("ETag", etag(o.Version))
	c.JSON(http.StatusCreated, o)
}

func (s *orgsAPI) getOrg(c *gin.Context) {
	o, err := s.store.Org(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(o.Version))
	c.JSON(http.StatusOK, o)
}

func (s *orgsAPI) listOrgs(c *gin.Context) {
	limit, after, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	kind := jiefen.OrgKind(c.Query("kind"))
	if kind != "" && !kind.Valid() {
		s.fail(c, &jiefen.Error{Code: jiefen.EINVALID, Message: "unknown kind",
			Fields: []jiefen.FieldError{{Field: "kind", Message: "must be one of committee, agency, court, township, office"}}})
		return
	}
	orgs, last, err := s.store.ListOrgs(c.Request.Context(), sqlstore.OrgFilter{Kind: kind, AfterID: after, Limit: limit})
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[jiefen.Org]{Items: orgs}
	if len(orgs) == limit {
		out.NextCursor = encodeCursor(last)
	}
	c.JSON(http.StatusOK, out)
}

// patchOrg changes the fields present in the body of an org whose version
// is still the one in If-Match.
func (s *orgsAPI) patchOrg(c *gin.Context) {
	version, err := ifMatch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req orgPatch
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u := jiefen.OrgUpdate{Name: req.Name, Aliases: req.Aliases, ParentCode: req.ParentCode}
	if req.Kind != nil {
		k := jiefen.OrgKind(*req.Kind)
		u.Kind = &k
	}
	o, err := s.store.UpdateOrg(c.Request.Context(), c.Param("code"), version, u)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(o.Version))
	c.JSON(http.StatusOK, o)
}
