// Package mediation holds mediation cases on the three tracks (人民调解,
// 行政调解, 司法调解): acceptance, sessions, agreements, judicial
// confirmation (司法确认), follow-up visits (回访) and ratings, and the
// per-case subsidy of people's mediators (以案定补).
package mediation
