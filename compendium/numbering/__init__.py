"""Numbers computed from manifest order (第一章, 第一條, 一、（一）1. / Chapter 1, Article 1),
the number words they are written with, and cross references by id."""
