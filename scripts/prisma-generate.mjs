console.log("prisma generate pending")
