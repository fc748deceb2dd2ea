module github.com/dynroute/cookiebaggage

go 1.22
