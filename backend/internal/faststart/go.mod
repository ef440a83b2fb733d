module aaa/faststart

go 1.26
