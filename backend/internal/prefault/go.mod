module aaa/prefault

go 1.26
