// Package litigation monitors administrative lawsuits against the city's
// agencies (行政应诉): court case numbers, hearings and the appearance of
// agency heads, outcomes, loss and appearance rates, the 双下降 campaign and
// the interviews (约谈) of heads whose agencies lose too often.
package litigation
