// Package web is jiefen's dashboard in the browser: pages in Chinese for
// leaders (trends, 双下降, interviews, overdue clocks), mediators (their
// queue and cases), intake desks (registration with the routing preview),
// court liaisons (imports, reconciliation, the ledger), the
// reconsideration body, the administrators (the security administrator
// sees the accounts only), for everyone 修改密码, and for every role but
// the auditor and the security administrator 通知, the in-app
// notifications, their unread count beside 通知 in the header. The pages
// are static files embedded in the binary and talk to the JSON API with
// the browser session (an HttpOnly cookie; writes carry the CSRF token);
// nothing comes from the internet: Apache ECharts is vendored
// (static/assets/vendor, version in VENDOR.md).
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var files embed.FS

// SessionCookie names the cookie of a browser session (set by the API's
// login with ?cookie=true).
const SessionCookie = "jiefen_session"

// Pages are the dashboard's pages by path; each is static/pages/NAME.html.
var Pages = []string{"login", "password", "dashboard", "cases", "queue", "case", "intake", "liaison", "reconsideration", "admin", "notifications", "report"}

// contentSecurityPolicy allows scripts from the site only (no inline
// script, no eval), styles from the site and inline style attributes
// (ECharts sets them), and connections to the site only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// headers sets the security headers of every page and asset.
func headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	c.Next()
}

// Register serves the pages at /NAME, / (the dashboard) and the assets at
// /assets/…. The pages themselves hold no data: what a user may see is
// decided by the API they call.
func Register(r gin.IRouter) {
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded tree is part of the build
	}
	assets, err := fs.Sub(static, "assets")
	if err != nil {
		panic(err)
	}
	g := r.Group("", headers)
	g.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/dashboard") })
	for _, name := range Pages {
		page, err := fs.ReadFile(static, "pages/"+name+".html")
		if err != nil {
			panic("web: missing page " + name)
		}
		g.GET("/"+name, func(c *gin.Context) {
			// Without a session cookie there is nothing to show: to the
			// login page at once (the API decides on a cookie that exists).
			if _, err := c.Cookie(SessionCookie); err != nil && name != "login" {
				c.Redirect(http.StatusFound, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
				return
			}
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusOK, "text/html; charset=utf-8", page)
		})
	}
	fileServer := http.StripPrefix("/assets", http.FileServer(http.FS(assets)))
	g.GET("/assets/*path", func(c *gin.Context) {
		if strings.HasSuffix(c.Param("path"), "/") {
			c.AbortWithStatus(http.StatusNotFound) // no directory listings
			return
		}
		c.Header("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(c.Writer, c.Request)
	})
}
